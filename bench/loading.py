"""Fast loading with PostgreSQL COPY: rows as tuples, every other column from its default.

`copy_rows(Model, ["id", "name", ...], rows)` streams the rows in chunks through
psycopg2's copy_expert (text format). Columns not given get the field's default
(evaluated once), NULL when nullable, '' when blank, or now() for auto_now fields.
"""

import datetime as dt
import io
import json
import uuid

from django.db import connection
from django.db.models import NOT_PROVIDED
from django.utils import timezone

CHUNK = 100_000


def _text(value):
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value)
    s = str(value)
    if "\\" in s or "\t" in s or "\n" in s or "\r" in s:
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return s


def _constant_for(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.default is not NOT_PROVIDED:
        if field.unique:
            raise ValueError(f"{field} is unique: give it per row")
        value = field.default() if callable(field.default) else field.default
        if isinstance(value, uuid.UUID):
            raise ValueError(f"{field} needs a value per row")
        return value
    if field.null:
        return None
    if field.blank:
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} has no default: give it")


def copy_rows(model, columns, rows):
    """COPY `rows` (an iterable of tuples in `columns` order) into model's table."""
    now = timezone.now()
    fields = {f.column: f for f in model._meta.concrete_fields}
    unknown = set(columns) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no column(s) {unknown}")
    extra = [c for c, f in fields.items() if c not in columns and not f.primary_key]
    tail = [_text(_constant_for(fields[c], now)) for c in extra]
    tail_text = ("\t" + "\t".join(tail)) if tail else ""
    all_columns = ", ".join(f'"{c}"' for c in [*columns, *extra])
    sql = f'COPY "{model._meta.db_table}" ({all_columns}) FROM STDIN'
    count = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for row in rows:
            buffer.write("\t".join(map(_text, row)))
            buffer.write(tail_text)
            buffer.write("\n")
            count += 1
            if count % CHUNK == 0:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                buffer = io.StringIO()
        if buffer.tell():
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
    return count


def reset_sequences(*models):
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            pk = model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "  # noqa: S608
                f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 1))'
            )
