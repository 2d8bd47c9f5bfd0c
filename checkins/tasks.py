from celery import shared_task

from . import escalation


# Named by its path before check-ins left kendra/: the beat and messages already queued
# in Redis carry this name.
@shared_task(
    name="kendra.checkins.tasks.escalate_alerts",
    acks_late=True,
    soft_time_limit=50,
    time_limit=55,
    ignore_result=True,
)
def escalate_alerts():
    """The beat's escalation step (every minute): see escalation.py."""
    return escalation.escalate_due()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330, ignore_result=True)
def forget_old_links():
    """Daily: check-in links that no longer open anything (expired or revoked a week
    ago) are deleted, so the table holds only what may still be used."""
    from .models import CheckinLink

    return CheckinLink.forget_old()
