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
