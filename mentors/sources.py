"""Reminders to mentors whose mentee has not heard from them for too long."""

from django.urls import reverse
from django.utils import timezone

from kendra.notify.outbox import RecipientError, enqueue

from .models import Pairing


def mentor_contact_overdue(now):
    """One reminder per overdue pairing per day, to the mentor's account."""
    today = timezone.localtime(now).date()
    late = (
        Pairing.objects.filter(mentor__user__isnull=False)
        .overdue(now)
        .select_related("mentor__user", "mentor__resident", "mentee", "centre")
    )
    written = 0
    for pairing in late.iterator(chunk_size=500):
        days = (now - pairing.last_touch).days
        try:
            sent = enqueue(
                "mentor_contact_overdue",
                slot=f"pairing-{pairing.pk}-{today.isoformat()}",
                user=pairing.mentor.user,
                centre=pairing.centre,
                context={"pairing": pairing, "mentee": pairing.mentee, "days": days},
                link=reverse("mentors:log_contact", args=[pairing.pk]),
            )
        except RecipientError:
            continue
        written += sent is not None
    return written
