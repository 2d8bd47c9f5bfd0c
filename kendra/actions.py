"""State changes to residents, in one place: views stay thin, tests set up data this way."""

from django.db import transaction

from . import audit
from .models import Resident
from .signals import resident_discharged


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
