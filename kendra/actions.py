"""State changes to residents, in one place: views stay thin, tests set up data this way."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, erasure
from .models import Consent, ErasureRequest, Membership, Profile, Resident
from .signals import (
    membership_ended,
    resident_admitted,
    resident_discharged,
    resident_erased,
    resident_readmitted,
)
from .stays import Stay, StayRefused


@transaction.atomic
def admit_resident(form, by):
    """A new resident and their first stay; the apps set up the rest (check-in plan)."""
    resident = form.save()
    data = form.cleaned_data
    if data.get("checkin_consent"):
        Consent.objects.create(
            resident=resident,
            purpose=Consent.Purpose.CHECKIN_MESSAGES,
            grantee_description=_("Check-in reminders from the centre"),
            given_by=by,
        )
    Stay.open(
        resident, resident.admission_date, by=by, referral_source=data.get("referral_source", "")
    )
    audit.record(by, "resident.admitted", resident)
    resident_admitted.send(sender=Resident, residents=[resident], by=by, readmitted=False)
    return resident


@transaction.atomic
def update_resident(form, by):
    changed = ", ".join(form.changed_data)
    resident = form.save(commit=False)
    if "admission_date" in form.changed_data:
        stay = resident.stays.order_by("-admission_date", "-pk").first()
        if stay is not None:
            stay.set_admission_date(resident.admission_date)  # StayRefused: nothing saved
    resident.save()
    form.save_m2m()
    audit.record(by, "resident.changed", resident, detail=changed)
    return resident


@transaction.atomic
def discharge_resident(form, by):
    # Lock the row so two people discharging at once cannot both succeed.
    current = Resident.objects.select_for_update().get(pk=form.instance.pk)
    if current.status != Resident.Status.ADMITTED:
        raise ValueError("already discharged")
    resident = form.save(commit=False)
    data = form.cleaned_data
    stay = Stay.objects.filter(resident=resident).open().first()
    if stay is None:  # a resident written without a stay (before stays): it gets one now
        stay = Stay.mirror(current)
    elif stay.admission_date != current.admission_date:  # the form checked against this
        stay.set_admission_date(current.admission_date)
    stay.close(resident, data["discharge_date"], data["discharge_reason"], data["discharge_note"])
    audit.record(
        by, "resident.discharged", resident, detail=resident.get_discharge_reason_display()
    )
    resident_discharged.send(sender=Resident, resident=resident, by=by)
    return resident


@transaction.atomic
def readmit_resident(resident, admission_date, by, referral_source="", note=""):
    """ "Admit again": a new stay on the same person (never a second resident). The apps
    close what belonged to the last stay (resident_readmitted). Raises StayRefused."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident.is_admitted:
        raise StayRefused(
            _("%(name)s is already admitted: discharge first, or open their page.")
            % {"name": resident}
        )
    if admission_date > timezone.localdate():
        raise StayRefused(_("The admission date cannot be in the future."))
    last = resident.stays.order_by("-admission_date", "-pk").first()
    if last is None:
        last = Stay.mirror(resident)
    stay = Stay.open(resident, admission_date, by=by, referral_source=referral_source, note=note)
    audit.record(by, "resident.readmitted", resident, detail=f"stay {stay.pk}")
    resident_admitted.send(sender=Resident, residents=[resident], by=by, readmitted=True)
    resident_readmitted.send(sender=Resident, resident=resident, stay=stay, last_stay=last, by=by)
    return stay


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


# --- erasure (kendra/erasure.py does the erasing; here: who, when, why) -----------------


class ErasureRefused(Exception):
    """A request to erase that cannot go on; the message is for the page, in plain words."""


def _erasable(resident):
    if resident.is_admitted:
        raise ErasureRefused(
            _("%(name)s is admitted. Only a discharged person can be erased: discharge first.")
            % {"name": resident}
        )
    if resident.erasures.filter(status=ErasureRequest.Status.DONE).exists():
        raise ErasureRefused(_("This person has already been erased."))


@transaction.atomic
def ask_to_erase(resident, reason, note, by):
    """The first admin's request; a second admin confirms it (confirm_erasure)."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    _erasable(resident)
    if reason not in {ErasureRequest.Reason.PERSON_ASKED, ErasureRequest.Reason.OTHER}:
        raise ErasureRefused(_("Choose why this person is to be erased."))
    if reason == ErasureRequest.Reason.OTHER and not note.strip():
        raise ErasureRefused(_("Write the reason in the note."))
    if resident.erasures.filter(status=ErasureRequest.Status.PENDING).exists():
        raise ErasureRefused(_("An erasure of this person is already waiting for confirmation."))
    asked = ErasureRequest.objects.create(
        resident=resident, centre=resident.centre, reason=reason, note=note, requested_by=by
    )
    audit.record(by, "resident.erasure_requested", asked, resident=resident, detail=reason)
    return asked


@transaction.atomic
def confirm_erasure(asked, by):
    """The second admin's confirmation: the person's details are erased at once."""
    asked = ErasureRequest.objects.select_for_update().get(pk=asked.pk)
    if asked.status != ErasureRequest.Status.PENDING:
        raise ErasureRefused(_("This request is no longer waiting for confirmation."))
    if asked.requested_by_id == by.pk:
        raise ErasureRefused(
            _("A second centre admin must confirm: you asked for this erasure yourself.")
        )
    resident = Resident.objects.select_for_update().get(pk=asked.resident_id)
    _erasable(resident)
    return _erase(resident, asked, by)


@transaction.atomic
def cancel_erasure(asked, by):
    asked = ErasureRequest.objects.select_for_update().get(pk=asked.pk)
    if asked.status == ErasureRequest.Status.PENDING:
        asked.status = ErasureRequest.Status.CANCELLED
        asked.save(update_fields=["status"])
        audit.record(by, "resident.erasure_cancelled", asked, centre=asked.centre)
    return asked


def erasure_due(centre, today=None):
    """Discharged people of the centre whose retention period has ended, not yet erased
    (the dry run's list). None when the centre keeps people (no retention period)."""
    if not centre.retention_months:
        return None
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - centre.retention_months
    year, month = divmod(months, 12)
    cutoff = today.replace(year=year, month=month + 1, day=min(today.day, 28))
    return (
        Resident.objects.discharged()
        .filter(centre=centre, discharge_date__lte=cutoff)
        .exclude(erasures__status=ErasureRequest.Status.DONE)
        .order_by("discharge_date", "pk")
    )


@transaction.atomic
def erase_after_retention(centre, resident_ids, by):
    """Erase those of `resident_ids` (the dry run's list) that are still due. Returns how
    many were erased."""
    due = erasure_due(centre)
    if due is None:
        return 0
    erased = 0
    for resident in due.filter(pk__in=resident_ids).select_for_update():
        asked = ErasureRequest.objects.create(
            resident=resident,
            centre=centre,
            reason=ErasureRequest.Reason.RETENTION,
            requested_by=by,
        )
        _erase(resident, asked, by)
        erased += 1
    return erased


def _erase(resident, asked, by):
    asked.status = ErasureRequest.Status.DONE
    asked.confirmed_by = by
    asked.done_at = timezone.now()
    asked.save(update_fields=["status", "confirmed_by", "done_at"])
    # Nobody may be told anything about the person any more: consents end (kept, dated).
    for consent in resident.consents.filter(withdrawn_at__isnull=True):
        consent.withdraw(by=by)
    resident_erased.send(sender=type(resident), resident=resident, by=by)
    erasure.erase(resident, by)  # the request's note too: it may name the person
    audit.record(
        by,
        "resident.erased",
        asked,
        resident=resident,
        centre=resident.centre,
        detail=f"{asked.reason}; asked by user {asked.requested_by_id}",
    )
    return asked


@transaction.atomic
def show_centre(user, centre_id):
    """Remember the centre `user` works in now (None: all of their centres)."""
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.current_centre_id = centre_id
    profile.save(update_fields=["current_centre"])
    audit.record(user, "centre.switched", detail=str(centre_id or "all"))
