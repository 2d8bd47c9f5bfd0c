"""Writing many rows in one statement, where the ORM's way costs more than the database.

`update_rows` is bulk_update's job done as one UPDATE … FROM (VALUES …): bulk_update writes
a CASE WHEN per column and row, which Django takes longer to build than PostgreSQL takes
to run, and it grows quadratic-ish with the batch. Like bulk_update it sends no signals:
callers write any history rows and invalidate caches themselves.
"""

from django.db import connection


def update_rows(model, objs, fields):
    """Write `fields` of each object (found by primary key) in one statement."""
    if not objs:
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    q = connection.ops.quote_name
    row = "(" + ", ".join(f"%s::{c.db_type(connection)}" for c in columns) + ")"
    names = [q(c.column) for c in columns]
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    params = []
    for obj in objs:
        params += [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(meta.db_table)} AS t SET {assignments}"  # noqa: S608 - names from the model
            f" FROM (VALUES {', '.join([row] * len(objs))}) AS v({', '.join(names)})"
            f" WHERE t.{names[0]} = v.{names[0]}",
            params,
        )
