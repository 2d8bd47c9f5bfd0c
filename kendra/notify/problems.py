"""Reminders that could not be written: a plan or recipient whose processing raised.

The reminder tick records the error here (one row per plan, counting repeats) and goes on
with the rest of its batch; the not-delivered page shows these rows to centre admins; a
row goes away once its plan goes through.
"""

from django.db.models import F
from django.utils import timezone

from .models import ReminderProblem


def _key(kind, pk):
    return f"{kind}-plan-{pk}"


def record(kind, pk, centre_id, resident_id, exc):
    error = f"{type(exc).__name__}: {exc}"[:2000]
    now = timezone.now()
    updated = ReminderProblem.objects.filter(key=_key(kind, pk)).update(
        error=error, last_at=now, times=F("times") + 1
    )
    if not updated:
        ReminderProblem.objects.get_or_create(
            key=_key(kind, pk),
            defaults={
                "centre_id": centre_id,
                "resident_id": resident_id,
                "kind": kind,
                "error": error,
                "last_at": now,
            },
        )


def resolved(kind, pks):
    """These plans went through: forget their problems (one query, usually deleting none)."""
    if pks:
        ReminderProblem.objects.filter(key__in=[_key(kind, pk) for pk in pks]).delete()
