"""What the recovery app tells the others (registered in RecoveryConfig.ready through
kendra/providers.py): the plan a resident carries, for the personal check-in page."""

from .models import RecoveryPlan


def recovery_plan(resident):
    plan = RecoveryPlan.objects.filter(resident=resident).first()
    return plan.as_lists() if plan else None
