"""Pairing an alumnus candidate (alumni.py): their mentor profile, the pairing, and the
mentor invitation when they have no account. Withdrawing their consent to be contacted
ends their pairings with a note (kendra.signals.consent_withdrawn)."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kendra import audit
from kendra.models import Consent, Resident, Role

from . import actions
from .alumni import candidates
from .models import MentorProfile, Pairing

log = logging.getLogger(__name__)


@transaction.atomic
def pair_alumnus(alumnus_pk, mentee_pk, by, invite_url):
    """Pair an alumnus candidate: their mentor profile first (made now if they have none),
    then the pairing by the usual rules, then the mentor invitation if they have no
    account. Returns (pairing, invitation or None)."""
    mentee = Resident.objects.select_related("centre").get(pk=mentee_pk)
    today = timezone.localdate()
    offered = {c.alumnus.pk: c for c in candidates(mentee.centre, today, mentee)}
    candidate = offered.get(alumnus_pk)
    if candidate is None:
        raise actions.PairingError(
            _("This alumnus cannot mentor now: check their consent, sobriety and profile.")
        )
    mentor, created = MentorProfile.objects.get_or_create(
        resident=candidate.resident,
        defaults={"centre_id": mentee.centre_id, "languages": candidate.languages},
    )
    if created:
        audit.record(by, "mentor.created_from_alumnus", mentor, resident=candidate.resident)
    pairing = actions.assign_mentor(mentor.pk, mentee.pk, by)
    invitation = invite_mentor(mentor, candidate.alumnus, by, invite_url)
    return pairing, invitation


def invite_mentor(mentor, alumnus, by, invite_url):
    """The mentor account invitation, when the mentor has no account yet."""
    from staff import actions as staff_actions

    if mentor.user_id is not None:
        return None
    phone = alumnus.phone or mentor.resident.phone
    email = alumnus.email or mentor.resident.email
    if not (phone or email):
        return None
    data = {
        "name": mentor.resident.full_name,
        "phone": phone,
        "email": email,
        "role": Role.MENTOR,
        "channel": "sms" if phone else "email",
    }
    try:
        invitation, _token = staff_actions.invite(_Filled(data), mentor.centre, by, invite_url)
    except staff_actions.StaffError as problem:
        log.info("no mentor invitation for mentor %s: %s", mentor.pk, problem)
        return None
    if not MentorProfile.objects.filter(user=invitation.user).exists():
        mentor.user = invitation.user
        mentor.save(update_fields=["user", "updated_at"])
    return invitation


@dataclass
class _Filled:
    """What staff.actions.invite reads from its form."""

    cleaned_data: dict


def on_consent_withdrawn(sender, consent, by=None, **kwargs):
    """An alumnus no longer wants to be contacted: their pairings as a mentor end, with a
    note saying why (kendra.signals.consent_withdrawn, inside the same transaction)."""
    if consent.purpose != Consent.Purpose.ALUMNI_CONTACT:
        return []
    still = Consent.objects.filter(
        resident_id=consent.resident_id,
        purpose=Consent.Purpose.ALUMNI_CONTACT,
        withdrawn_at__isnull=True,
    ).exists()
    if still:
        return []
    note = _("The mentor withdrew their consent to be contacted as an alumnus.")
    pairings = Pairing.objects.active().filter(mentor__resident_id=consent.resident_id)
    return [
        actions.end_pairing(p, Pairing.EndReason.MENTOR_STEPPED_BACK, by, note) for p in pairings
    ]
