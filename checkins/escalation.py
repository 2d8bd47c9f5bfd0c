"""Alerts nobody acknowledges go further: mentor → counselor on duty → every counselor of
the centre → centre admins, one step per window (centre settings: help 15 minutes, other
rules 24 hours). Acknowledging stops it.

The beat (tasks.escalate_alerts, every minute) finds open alerts whose next step is due
and claims each step with a conditional UPDATE on (status, level, escalate_at), as the
reminder tick claims plans: two beats at once never tell the same step twice. The claim,
the timeline line and the outbox rows commit together; the sends go after the commit.
"""

import logging

from django.db import transaction
from django.utils import timezone

from . import rules
from .models import Alert, AlertEvent, Level
from .telling import tell

log = logging.getLogger(__name__)

BATCH = 200


def due(now):
    return Alert.objects.filter(
        status=Alert.Status.OPEN, escalate_at__isnull=False, escalate_at__lte=now
    )


def escalate_due(now=None):
    """Take every due alert one step further. Returns how many steps were taken."""
    now = now or timezone.now()
    steps = 0
    for pk, level, at in (
        due(now).order_by("escalate_at").values_list("pk", "level", "escalate_at")[:BATCH]
    ):
        try:
            steps += escalate(pk, level, at, now)
        except Exception:  # one alert's trouble must not hold back the others
            log.exception("escalating alert %s failed; the next beat tries again", pk)
    return steps


def _next_step(alert, level, now):
    """The next level with somebody to tell, and who; (ADMINS, []) when nobody is left."""
    for step in range(level + 1, Level.ADMINS + 1):
        people = rules.people_at(step, alert.resident, now)
        if people:
            return step, people
    return Level.ADMINS, []


@transaction.atomic
def escalate(pk, level, at, now):
    """One step for one alert, if this process claims it. Returns 1 or 0."""
    alert = Alert.objects.select_related("resident", "centre").get(pk=pk)
    step, people = _next_step(alert, level, now)
    further = now + rules.window(alert, alert.centre) if step < Level.ADMINS else None
    claimed = Alert.objects.filter(
        pk=pk, status=Alert.Status.OPEN, level=level, escalate_at=at
    ).update(level=step, escalate_at=further)
    if not claimed:
        return 0  # acknowledged, re-pressed, or another beat took this step
    if not people:
        return 0
    event = AlertEvent.objects.create(
        alert=alert, at=now, kind=AlertEvent.Kind.ESCALATED, level=step
    )
    alert.level = step
    tell(
        alert,
        people,
        kind="escalation",
        slot=f"escalation-{event.pk}",
        level=step,
        urgent=alert.rule == Alert.Rule.HELP_REQUEST,
        now=now,
    )
    return 1
