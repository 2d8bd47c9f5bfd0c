"""Writing many rows in one statement, where the ORM's way costs more than the database.

`update_rows` is bulk_update's job done as one UPDATE … FROM (VALUES …): bulk_update writes
a CASE WHEN per column and row, which Django takes longer to build than PostgreSQL takes
to run, and it grows quadratic-ish with the batch. Like bulk_update it sends no signals:
callers mind their own receivers. With `history` it also writes each row's version
into its django-simple-history table, as bulk_update_with_history does, in the same round
trip. The statement is PostgreSQL's; elsewhere (SQLite under `make run`) the same rows are
written the portable way, bulk_update and bulk_history_create.

Only the reminder tick (checkins/reminders.py) still uses it; the session log
writes its marks with bulk_update_with_history. This module goes when the tick does too.

The text of each statement depends only on the models, the fields and the number of rows,
so it is built once per shape (functools.cache); a call only prepares its values.
"""

import functools

from django.db import connection


def update_rows(model, objs, fields, history=None):
    """Write `fields` of each object (found by primary key) in one statement.

    history=(user, when): then also a history row per object ("~", changed), copied from
    the row as just written."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        return update_rows_portably(model, objs, fields, history)
    sql, params = _update_sql(model, objs, fields)
    if history is not None:
        pks = [obj.pk for obj in objs]
        table, pk = _q(model._meta.db_table), _q(model._meta.pk.column)
        source = f"{table} WHERE {pk} IN ({', '.join(['%s'] * len(pks))})"
        history_sql, history_params = _history_rows(model, source, pks, *history)
        sql, params = f"{sql}; {history_sql}", params + history_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _q(name):
    return connection.ops.quote_name(name)


def _prep(field, value):
    return field.get_db_prep_save(value, connection)


@functools.cache
def _update_template(model, fields):
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    row = "(" + ", ".join(f"%s::{c.db_type(connection)}" for c in columns) + ")"
    names = [_q(c.column) for c in columns]
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    head = f"UPDATE {_q(meta.db_table)} AS t SET {assignments} FROM (VALUES "  # noqa: S608
    tail = f") AS v({', '.join(names)}) WHERE t.{names[0]} = v.{names[0]}"
    return head, row, tail, columns


def _update_sql(model, objs, fields):
    """UPDATE … FROM (VALUES …) of `fields` of each object, by primary key (no RETURNING)."""
    head, row, tail, columns = _update_template(model, tuple(fields))
    params = [_prep(c, getattr(obj, c.attname)) for obj in objs for c in columns]
    return head + ", ".join([row] * len(objs)) + tail, params


@functools.cache
def _historical(model):
    return model.history.model  # the descriptor builds a manager on every access


@functools.cache
def _tracked(model, prefix=""):
    return ", ".join(prefix + _q(f.column) for f in _historical(model).tracked_fields)


def _history_rows(model, source, source_params, user, when):
    """INSERT … SELECT of the rows' values from `source` (a table with its WHERE, or a CTE
    of them) into the model's history table, as changed ("~") by `user` at `when`."""
    tracked = _tracked(model)
    sql = (
        f"INSERT INTO {_q(_historical(model)._meta.db_table)}"  # noqa: S608 - names from the models
        f" ({tracked}, history_date, history_type, history_user_id, history_change_reason)"
        f" SELECT {tracked}, %s, '~', %s, NULL FROM {source}"
    )
    return sql, [when, getattr(user, "pk", None), *source_params]


def update_rows_portably(model, objs, fields, history=None):
    """update_rows on any database: the objects must hold every tracked field if `history`
    is given (their history rows are copied from them, not from the rows)."""
    model._base_manager.bulk_update(objs, fields)
    if history is not None:
        user, when = history
        model.history.bulk_history_create(objs, update=True, default_user=user, default_date=when)
