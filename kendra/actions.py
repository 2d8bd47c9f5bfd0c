"""State changes to residents, in one place: views stay thin, tests set up data this way."""

from django.db import transaction

from . import audit
from .models import Membership, Resident
from .signals import membership_ended, resident_discharged


@transaction.atomic
def admit_resident(form, by):
    resident = form.save()
    audit.record(by, "resident.admitted", resident)
    return resident


@transaction.atomic
def update_resident(form, by):
    changed = ", ".join(form.changed_data)
    resident = form.save()
    audit.record(by, "resident.changed", resident, detail=changed)
    return resident


@transaction.atomic
def discharge_resident(form, by):
    # Lock the row so two people discharging at once cannot both succeed.
    current = Resident.objects.select_for_update().get(pk=form.instance.pk)
    if current.status != Resident.Status.ADMITTED:
        raise ValueError("already discharged")
    resident = form.save(commit=False)
    resident.status = Resident.Status.DISCHARGED
    resident.save()
    audit.record(
        by, "resident.discharged", resident, detail=resident.get_discharge_reason_display()
    )
    resident_discharged.send(sender=Resident, resident=resident, by=by)
    return resident


@transaction.atomic
def end_membership(membership, by, note=""):
    """End someone's role in a centre. What hangs on it ends with it, each with the note:
    the apps listen to `membership_ended` (the mentors app ends their pairings, the rota
    app their duty shifts). Returns False when it had already ended."""
    taken = Membership.objects.select_for_update().filter(pk=membership.pk, is_active=True).first()
    if taken is None:
        return False
    taken.is_active = False
    taken.save(update_fields=["is_active"])
    membership.is_active = False
    audit.record(
        by,
        "membership.ended",
        taken,
        detail=f"{taken.get_role_display()}: {note}"[:500],
    )
    membership_ended.send(sender=Membership, membership=taken, by=by, note=note)
    return True
