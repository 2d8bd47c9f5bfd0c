from celery import shared_task

from . import actions


@shared_task(name="groups.tasks.generate_sessions", time_limit=300, soft_time_limit=280)
def generate_sessions():
    """Plan sessions for the next 14 days from every active group's schedule (idempotent)."""
    return actions.generate_sessions()
