"""Telling people about an alert: outbox rows, and a line on the alert's timeline for
each person a message was actually written to (who, at which step, by which channels).

The help path, the rules and the escalation all tell people through here, so the
timeline and the page a resident sees are made from what the outbox really holds.
"""

from django.urls import reverse
from django.utils import timezone

from kendra.notify.outbox import RecipientError, enqueue

from .models import AlertEvent, Level

IN_APP, SMS = "in_app", "sms"


def tell(alert, people, *, kind, slot, level, urgent, now=None, context=None):
    """Write `kind` messages about `alert` to each user of `people` (in Kendra, and by SMS
    when urgent) under one outbox slot. Returns the timeline lines written, one per person
    who got at least one message."""
    now = now or timezone.now()
    link = reverse("checkins:alerts")
    ctx = {
        "alert": alert,
        "resident": alert.resident,
        "urgent": urgent,
        "level": Level(level).label,
        **(context or {}),
    }
    events, seen = [], set()
    for user in people:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        channels = []
        for channel in [IN_APP, SMS] if urgent else [IN_APP]:
            try:
                # A None (already written under this slot) is a message written all the same.
                enqueue(
                    kind,
                    slot=slot,
                    user=user,
                    channel=channel,
                    centre=alert.centre,
                    link=link,
                    context=ctx,
                )
            except RecipientError:
                continue
            channels.append(channel)
        if channels:
            events.append(
                AlertEvent(
                    alert=alert,
                    centre_id=alert.centre_id,
                    at=now,
                    kind=AlertEvent.Kind.TOLD,
                    level=level,
                    user=user,
                    channels=channels,
                    slot=slot,
                )
            )
    AlertEvent.objects.bulk_create(events)
    return events


def reached_by_phone(events):
    return any(SMS in e.channels for e in events)
