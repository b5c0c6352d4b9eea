"""Set many rows, each to its own values, in one UPDATE per batch (Django's bulk_update is too slow here).

`QuerySet.bulk_update` builds a Case/When expression object per row and field and resolves each in
Python: for a page of a thousand SKUs that alone took seconds. This writes the same CASE as plain
SQL with parameters, values prepared by each field as Django would.
"""
from django.db import connections, router

from procurement.connectors.base import chunks


def bulk_set(objects, fields, batch_size=500):
    """UPDATE `fields` of every object in `objects` (all of one model) to its attribute values."""
    if not objects:
        return
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    for batch in chunks(objects, batch_size):
        sql, params = _statement(model, batch, fields, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _statement(model, batch, fields, connection):
    quote, meta = connection.ops.quote_name, model._meta
    key = quote(meta.pk.column)
    assignments, params = [], []
    for name in fields:
        field = meta.get_field(name)
        whens = " ".join(["WHEN %s THEN %s"] * len(batch))
        for obj in batch:
            params += [obj.pk, field.get_db_prep_save(getattr(obj, field.attname), connection)]
        value = f"CASE {key} {whens} END"
        if connection.vendor == "postgresql":
            # A CASE of parameters has no type of its own in PostgreSQL (all NULL, or text literals).
            value = f"CAST({value} AS {field.db_type(connection)})"
        assignments.append(f"{quote(field.column)} = {value}")
    params += [obj.pk for obj in batch]
    placeholders = ", ".join(["%s"] * len(batch))
    return f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {key} IN ({placeholders})", params
