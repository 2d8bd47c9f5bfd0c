"""Writing many rows in one statement, where the ORM's way costs more than the database.

`update_rows` is bulk_update's job done as one UPDATE … FROM (VALUES …): bulk_update writes
a CASE WHEN per column and row, which Django takes longer to build than PostgreSQL takes
to run, and it grows quadratic-ish with the batch. Like bulk_update it sends no signals:
callers invalidate caches themselves. With `history` it also writes each row's version
into its django-simple-history table, as bulk_update_with_history does, in the same round
trip. The statement is PostgreSQL's; elsewhere (SQLite under `make run`) the same rows are
written the portable way, bulk_update and bulk_history_create.
"""

from django.db import connection


def update_rows(model, objs, fields, history=None):
    """Write `fields` of each object (found by primary key) in one statement.

    history=(user, when): then also a history row per object ("~", changed), copied from
    the row as just written."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        return update_rows_portably(model, objs, fields, history)
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    q = connection.ops.quote_name
    row = "(" + ", ".join(f"%s::{c.db_type(connection)}" for c in columns) + ")"
    names = [q(c.column) for c in columns]
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    params = []
    for obj in objs:
        params += [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns]
    sql = (
        f"UPDATE {q(meta.db_table)} AS t SET {assignments}"  # noqa: S608 - names from the model
        f" FROM (VALUES {', '.join([row] * len(objs))}) AS v({', '.join(names)})"
        f" WHERE t.{names[0]} = v.{names[0]}"
    )
    if history is not None:
        history_sql, history_params = _history_rows(model, [obj.pk for obj in objs], *history)
        sql, params = f"{sql}; {history_sql}", params + history_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _history_rows(model, pks, user, when):
    """INSERT … SELECT of the rows' current values into the model's history table."""
    historical = model.history.model
    q = connection.ops.quote_name
    tracked = ", ".join(q(f.column) for f in historical.tracked_fields)
    sql = (
        f"INSERT INTO {q(historical._meta.db_table)}"  # noqa: S608 - names from the models
        f" ({tracked}, history_date, history_type, history_user_id, history_change_reason)"
        f" SELECT {tracked}, %s, '~', %s, NULL FROM {q(model._meta.db_table)}"
        f" WHERE {q(model._meta.pk.column)} IN ({', '.join(['%s'] * len(pks))})"
    )
    return sql, [when, getattr(user, "pk", None), *pks]


def update_rows_portably(model, objs, fields, history=None):
    """update_rows on any database: the objects must hold every tracked field if `history`
    is given (their history rows are copied from them, not from the rows)."""
    model._base_manager.bulk_update(objs, fields)
    if history is not None:
        user, when = history
        model.history.bulk_history_create(objs, update=True, default_user=user, default_date=when)
