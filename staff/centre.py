"""Centre settings: saved together, audited; new reminder defaults offered to existing plans."""

from django.db import transaction

from checkins.actions import reschedule
from checkins.models import Cadence, CheckinDefaults, ReminderPlan
from kendra import audit

PLAN_FIELDS = ("quiet_start", "quiet_end", "local_time")
CADENCE_FIELDS = ("alumni_weekly_weeks", "alumni_until_days")


def defaults_for(centre):
    return CheckinDefaults.for_centre(centre.pk)


@transaction.atomic
def save_settings(centre_form, defaults_form, by):
    """Both forms in one transaction. Returns True when existing plans could follow."""
    centre = centre_form.save()
    defaults = defaults_form.save(commit=False)
    defaults.centre = centre
    defaults.save()
    changed = centre_form.changed_data + [f"checkins.{n}" for n in defaults_form.changed_data]
    audit.record(by, "centre.settings_changed", centre, centre=centre, detail=", ".join(changed))
    return bool(set(PLAN_FIELDS + CADENCE_FIELDS) & set(defaults_form.changed_data))


def plans_off_times(centre):
    """Reminder plans whose quiet hours or time differ from the centre's defaults."""
    defaults = defaults_for(centre)
    same = {name: getattr(defaults, name) for name in PLAN_FIELDS}
    return ReminderPlan.objects.filter(centre=centre).exclude(**same)


def plans_off_cadence(centre):
    """Reminder plans with their own cadence instead of the centre's default."""
    return ReminderPlan.objects.filter(centre=centre).exclude(cadence=Cadence.AUTO)


@transaction.atomic
def apply_defaults(centre, by, *, times=True, cadence=False):
    """Give the centre's reminder plans the default quiet hours and time (`times`) and the
    default cadence (`cadence`), and work out each next reminder again. Plans are locked
    against the beat's claim. Returns how many plans changed."""
    defaults = defaults_for(centre)
    plans = ReminderPlan.objects.none()
    if times:
        plans |= plans_off_times(centre)
    if cadence:
        plans |= plans_off_cadence(centre)
    count = 0
    for plan in plans.select_for_update(of=("self",)).select_related("resident"):
        if times:
            for name in PLAN_FIELDS:
                setattr(plan, name, getattr(defaults, name))
        if cadence:
            plan.cadence = Cadence.AUTO
        reschedule(plan)
        plan.save(update_fields=[*PLAN_FIELDS, "cadence", "next_due_at", "updated_at"])
        count += 1
    audit.record(
        by, "centre.defaults_applied", centre, centre=centre, detail=f"{count} reminder plan(s)"
    )
    return count


def plans_differ(centre):
    return plans_off_times(centre).exists() or plans_off_cadence(centre).exists()
