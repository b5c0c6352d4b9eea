"""Hand-written SQL for hot paths: INSERTs that still write a row exactly as Model.save() would, and
one repeatable statement run in a single round trip.

For a hot path that puts several inserts in one statement (PostgreSQL data-modifying CTEs): the
columns and values come from the model (its defaults, auto_now_add, field conversions) so the SQL
never restates it; only the columns the statement computes itself are given as SQL. The SQL text is
built once; each row costs one unsaved instance and its field conversions.
"""
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections


class RowInsert:
    """`INSERT INTO <table> (…) SELECT … FROM <source>` for one model, with named parameters `<prefix>_<attname>`."""

    def __init__(self, model, prefix, computed=None):
        computed = computed or {}
        meta = model._meta
        unknown = set(computed) - {field.attname for field in meta.local_concrete_fields}
        if unknown:
            raise ValueError(f"{meta.label} has no columns {sorted(unknown)}")
        self.table = meta.db_table
        self.prefix = prefix
        self.columns = [field.column for field in meta.local_concrete_fields if field is not meta.auto_field]
        self.values = [computed.get(field.attname, f"%({prefix}_{field.attname})s")
                       for field in meta.local_concrete_fields if field is not meta.auto_field]
        self.fields = [field for field in meta.local_concrete_fields
                       if field is not meta.auto_field and field.attname not in computed]

    def sql(self, connection, source):
        quote = connection.ops.quote_name
        return (f"INSERT INTO {quote(self.table)} ({', '.join(map(quote, self.columns))})"
                f" SELECT {', '.join(self.values)} FROM {source}")

    def params(self, obj, connection):
        """The values of unsaved `obj` for the columns not computed, converted as save() converts them."""
        return {f"{self.prefix}_{field.attname}": field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                for field in self.fields}


def fetch_one_repeatable(sql, params, using=DEFAULT_DB_ALIAS):
    """Run one statement that is safe to run twice and return its first row, in one round trip.

    With CONN_HEALTH_CHECKS Django pings a reused connection before the request's first query: a
    second round trip, as costly as the statement on a hot path. Here the statement goes first; if the
    connection turns out dead (the database restarted since) and no transaction is open, it is run
    once more on a new connection, which is what the ping would have led to.
    """
    connection = connections[using]
    connection.health_check_done = True
    try:
        return _fetch_one(connection, sql, params)
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block or connection.is_usable():
            raise
        connection.close()
        return _fetch_one(connection, sql, params)


def _fetch_one(connection, sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
