"""What the checkins app tells the core (registered in CheckinsConfig.ready through
kendra/providers.py): a resident's reminder plan, for the outbox's send-time screening
(kendra/notify/screen.py)."""

from . import schedule
from .models import ReminderPlan


def reminder_plans(resident_ids):
    """{resident_id: plan} for the residents who have one, each with its resident."""
    plans = ReminderPlan.objects.filter(resident_id__in=resident_ids).select_related("resident")
    return {p.resident_id: p for p in plans}


def quiet_until(plan, now):
    """When the plan's quiet hours end, if `now` is inside them; else None."""
    return schedule.end_of_quiet(plan, now) if schedule.in_quiet_hours(plan, now) else None


def plan_over(plan, day):
    """No more check-ins on `day` (after discharge, once their time is over)."""
    return schedule.effective_cadence(plan, day) is None
