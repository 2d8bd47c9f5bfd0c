"""Writing many rows in one statement, where the ORM's way costs more than the database.

`update_rows` is bulk_update's job done as one UPDATE … FROM (VALUES …): bulk_update writes
a CASE WHEN per column and row, which Django takes longer to build than PostgreSQL takes
to run, and it grows quadratic-ish with the batch. Like bulk_update it sends no signals:
callers invalidate caches themselves. With `history` it also writes each row's version
into its django-simple-history table, as bulk_update_with_history does, in the same round
trip. The statement is PostgreSQL's; elsewhere (SQLite under `make run`) the same rows are
written the portable way, bulk_update and bulk_history_create.

`write_if_claimed` is a claim (a conditional UPDATE of one row, `Claim`) and the writes
that must happen only if it claimed, as one statement: on PostgreSQL one round trip, atomic
without a transaction of its own (no BEGIN and COMMIT round trips).

The text of each statement depends only on the models, the fields and the number of rows,
so it is built once per shape (functools.cache); a call only prepares its values.
"""

import functools
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import F


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


class Claim(NamedTuple):
    """The claim of one row: UPDATE `model` SET `values`, `count` = `count` + 1 WHERE its
    primary key is `pk` and each of `where` holds (a value, or None for IS NULL). Names are
    field names or attnames (`logged_by_id`)."""

    model: type
    pk: Any
    where: dict
    values: dict
    count: str | None = None

    def queryset(self):
        lookups = {
            (name if value is not None else f"{name}__isnull"): (
                value if value is not None else True
            )
            for name, value in self.where.items()
        }
        return self.model._base_manager.filter(pk=self.pk, **lookups)

    def update(self):
        """The claim through the ORM: the number of rows it touched (0 or 1)."""
        values = dict(self.values)
        if self.count:
            values[self.count] = F(self.count) + 1
        return self.queryset().update(**values)


def write_if_claimed(claim, insert=(), update=None, history=None):
    """Make the `claim`, and only if it touched its row: save the unsaved objects of
    `insert`, and write `update` = (model, objs, fields) as update_rows does (with
    `history` likewise). Returns whether the row was claimed; if not, nothing was written.

    PostgreSQL: one statement, WITH claimed AS (UPDATE … RETURNING) and each write a
    data-modifying CTE that reads `claimed`; the history rows are copied from the rows as
    the statement wrote them (RETURNING). Outside a transaction it commits on its own.
    Elsewhere: the same writes in a transaction, one after another. No signals either way.
    """
    if connection.vendor != "postgresql":
        return _write_if_claimed_portably(claim, insert, update, history)
    claim_sql, params = _claim_sql(claim)
    ctes = [f"claimed AS ({claim_sql} RETURNING 1)"]
    for n, obj in enumerate(insert):
        insert_sql, row_params = _insert_sql(obj)
        ctes.append(f"new{n} AS ({insert_sql} FROM claimed)")
        params += row_params
    if update is not None and update[1]:
        model, objs, fields = update
        update_sql, update_params = _update_sql(model, objs, fields)
        returning = f" RETURNING {_tracked(model, 't.')}" if history is not None else ""
        ctes.append(f"written AS ({update_sql} AND EXISTS (SELECT FROM claimed){returning})")
        params += update_params
        if history is not None:
            history_sql, history_params = _history_rows(model, "written", [], *history)
            ctes.append(f"versions AS ({history_sql})")
            params += history_params
    sql = f"WITH {', '.join(ctes)} SELECT count(*) FROM claimed"  # noqa: S608 - names from models
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.fetchone()[0])


def _write_if_claimed_portably(claim, insert, update, history):
    with transaction.atomic():
        if not claim.update():
            return False
        for obj in insert:
            obj.save()
        if update is not None and update[1]:
            update_rows_portably(*update, history=history)
    return True


def _q(name):
    return connection.ops.quote_name(name)


def _prep(field, value):
    return field.get_db_prep_save(value, connection)


@functools.cache
def _claim_template(model, set_names, where_names, count):
    """(sql, set fields, where fields) of a claim's UPDATE; where_names are (name, is null)."""
    meta = model._meta
    set_fields = [meta.get_field(name) for name in set_names]
    sets = [f"{_q(f.column)} = %s" for f in set_fields]
    if count:
        column = _q(meta.get_field(count).column)
        sets.append(f"{column} = {column} + 1")
    conditions, where_fields = [f"{_q(meta.pk.column)} = %s"], []
    for name, is_null in where_names:
        field = meta.get_field(name)
        if is_null:
            conditions.append(f"{_q(field.column)} IS NULL")
        else:
            conditions.append(f"{_q(field.column)} = %s")
            where_fields.append(field)
    sql = f"UPDATE {_q(meta.db_table)} SET {', '.join(sets)} WHERE {' AND '.join(conditions)}"  # noqa: S608
    return sql, set_fields, where_fields


def _claim_sql(claim):
    where_names = tuple((name, value is None) for name, value in claim.where.items())
    sql, set_fields, where_fields = _claim_template(
        claim.model, tuple(claim.values), where_names, claim.count
    )
    params = [_prep(f, value) for f, value in zip(set_fields, claim.values.values(), strict=True)]
    params.append(_prep(claim.model._meta.pk, claim.pk))
    values = [value for value in claim.where.values() if value is not None]
    params += [_prep(f, value) for f, value in zip(where_fields, values, strict=True)]
    return sql, params


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
def _insert_template(model, with_pk):
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    columns = ", ".join(_q(f.column) for f in fields)
    values = ", ".join(f"%s::{f.db_type(connection)}" for f in fields)
    return f"INSERT INTO {_q(model._meta.db_table)} ({columns}) SELECT {values}", fields  # noqa: S608


def _insert_sql(obj):
    """INSERT INTO … SELECT of the unsaved `obj` (for a FROM to follow), with its params;
    an empty primary key is left to the database."""
    sql, fields = _insert_template(type(obj), obj.pk is not None)
    return sql, [_prep(f, f.pre_save(obj, True)) for f in fields]


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
