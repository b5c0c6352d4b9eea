"""Set many rows, each to its own values, in one UPDATE … FROM (VALUES …) per batch.

Django's `bulk_update` builds a Case/When expression per row and field, resolved in Python, and the
database then scans the CASE for every row (quadratic in the batch). Joining a VALUES list on the
primary key is one linear statement, on SQLite (3.33+) and PostgreSQL alike. Values are prepared by
each field exactly as Django would.
"""
from django.db import connections, router

from procurement.suppliers.base import chunks


def bulk_set(objects, fields, batch_size=500):
    """UPDATE `fields` of every object in `objects` (all of one model) to its attribute values."""
    if not objects:
        return
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    columns = [model._meta.get_field(name) for name in fields]
    for batch in chunks(objects, batch_size):
        sql, params = _statement(model, batch, columns, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _statement(model, batch, columns, connection):
    quote, meta = connection.ops.quote_name, model._meta
    params = []
    for obj in batch:
        params.append(obj.pk)
        params += [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    # VALUES columns are named column1, column2, … on both databases; column1 is the primary key.
    sets = ", ".join(
        f"{quote(field.column)} = {_typed(f'v.column{n}', field, connection)}" for n, field in enumerate(columns, 2)
    )
    table, key = quote(meta.db_table), quote(meta.pk.column)
    return (
        f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * len(batch))}) AS v "
        f"WHERE {table}.{key} = {_typed('v.column1', meta.pk, connection)}",
        params,
    )


def _typed(expression, field, connection):
    # PostgreSQL gives parameters in a VALUES list no type of their own (text, or unknown when NULL).
    if connection.vendor == "postgresql":
        return f"CAST({expression} AS {field.db_type(connection)})"
    return expression
