import datetime as dt

import pytest
from django.utils import timezone

from checkins.models import ReminderPlan
from kendra.notify import outbox

from ..factories import ResidentFactory


@pytest.fixture
def no_broker(monkeypatch):
    """Record what would be handed to the broker instead of sending it."""
    handed = []
    monkeypatch.setattr(
        outbox, "queue_send", lambda pks, queue=None: handed.extend(pks) or list(pks)
    )
    return handed


def at(text):
    """An aware India-time datetime from 'YYYY-MM-DD HH:MM'."""
    return timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M"))


def make_plan(centre, *, due=None, resident=None, **kwargs):
    resident = resident or ResidentFactory(
        centre=centre, phone=f"+9198{ReminderPlan.objects.count() + 10000000:08d}"
    )
    kwargs.setdefault("local_time", dt.time(9, 0))
    return ReminderPlan.objects.create(resident=resident, centre=centre, next_due_at=due, **kwargs)
