"""What the *_phones_e164 data migrations do: rewrite stored phone numbers in E.164.

Each migration passes its historical models (apps.get_model), so the code stays right
whatever the models become later. A number no library can read, or one whose E.164
spelling another row of the same centre already has (a unique number), is left as it is
and listed on the console and in the log (table, row id and field, the number masked),
so the operator can correct it on its page; the migration never fails on a number.

History: the historical models a migration gets have no history manager (simple-history
connects its signals to the real model classes only), so where the model keeps history
(Resident) the migration writes the historical row itself, a "~" change with the reason
"phone numbers to E.164", exactly as the history-keeping save would.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from kendra import phones

log = logging.getLogger("kendra.migrations")
REASON = "phone numbers to E.164"


def _masked(value):
    value = str(value)
    return value[:3] + "…" + value[-2:] if len(value) > 6 else "…"


def _history_model(apps, label, name):
    try:
        return apps.get_model(label, f"Historical{name}")
    except LookupError:
        return None


def _write_history(history, row):
    values = {
        f.attname: getattr(row, f.attname)
        for f in history._meta.fields
        if not f.name.startswith("history_") and hasattr(row, f.attname)
    }
    extra = {"history_date": timezone.now(), "history_type": "~"}
    if any(f.name == "history_change_reason" for f in history._meta.fields):
        extra["history_change_reason"] = REASON
    history.objects.create(**values, **extra)


def normalise_stored(apps, label, name, fields, *, any_kind=False, out=print):
    """Rewrite `fields` of every `label.name` row in E.164; returns the rows left alone as
    [(table, pk, field, reason)]. any_kind: a centre's own numbers (landlines, 112)."""
    model = apps.get_model(label, name)
    history = _history_model(apps, label, name)
    read = phones.normalise_any if any_kind else (lambda raw: phones.normalise(raw, mobile=False))
    left = []
    for row in model.objects.order_by("pk").iterator():
        changed = []
        for field in fields:
            old = getattr(row, field) or ""
            if not old.strip():
                continue
            try:
                new = read(old)
            except Exception:  # noqa: BLE001 - any unreadable number is listed, never fatal
                left.append((model._meta.db_table, row.pk, field, "cannot be read", old))
                continue
            if new != old:
                setattr(row, field, new)
                changed.append(field)
        if not changed:
            continue
        try:
            with transaction.atomic():
                row.save(update_fields=changed)
                if history is not None:
                    _write_history(history, row)
        except IntegrityError:  # the E.164 spelling is another row's number (unique)
            for field in changed:
                left.append((model._meta.db_table, row.pk, field, "same number as another row", ""))
    for table, pk, field, why, old in left:
        line = f"{table} id {pk} {field}: {why} ({_masked(old)}); left as it is"
        log.warning(line)
        out("  " + line)
    return left


def forwards(specs):
    """A RunPython function for [(app_label, model_name, fields, any_kind)]."""

    def run(apps, schema_editor):
        for label, name, fields, any_kind in specs:
            normalise_stored(apps, label, name, fields, any_kind=any_kind)

    return run
