from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330, ignore_result=True)
def morning():
    """Every morning: the coordinators' digest of this week's follow-ups, overdue
    follow-ups to the centre admins, and today's anniversary greetings."""
    from . import reminders

    return {
        "digests": reminders.send_followup_digests(),
        "escalated": reminders.escalate_overdue(),
        "anniversaries": reminders.send_anniversaries(),
    }
