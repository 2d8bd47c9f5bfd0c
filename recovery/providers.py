"""What the recovery app tells the others (registered in RecoveryConfig.ready through
kendra/providers.py): the plan a resident carries, for the personal check-in page."""

from .models import RecoveryPlan


def recovery_plan(resident):
    plan = RecoveryPlan.objects.filter(resident=resident).first()
    return plan.as_lists() if plan else None


def has_discharge_plan(ref):
    """True for a resident (OuterRef to their pk) whose relapse-prevention plan is written."""
    from django.db.models import Exists

    return Exists(RecoveryPlan.objects.filter(resident_id=ref))
