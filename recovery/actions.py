"""Writing a relapse-prevention plan: each save is a version (history) and audited."""

from django.db import transaction
from django.utils import timezone

from kendra import audit

from .models import RecoveryPlan


@transaction.atomic
def save_plan(form, resident, by):
    """Save the plan written with `by` (a counselor or the resident's mentor) as a new
    version dated today."""
    plan = form.save(commit=False)
    plan.resident = resident
    plan.centre_id = resident.centre_id
    plan.people = form.people()
    plan.written_with = by
    plan.written_on = timezone.localdate()
    plan.save()
    audit.record(by, "recovery_plan.saved", plan, resident=resident, centre=resident.centre)
    return plan


def plan_of(resident):
    return RecoveryPlan.objects.filter(resident=resident).select_related("written_with").first()
