from celery import shared_task

from . import escalation


@shared_task(acks_late=True, soft_time_limit=50, time_limit=55, ignore_result=True)
def escalate_alerts():
    """The beat's escalation step (every minute): see escalation.py."""
    return escalation.escalate_due()
