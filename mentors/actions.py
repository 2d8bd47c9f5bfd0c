"""Every change to pairings goes through these functions: views stay thin, rules live here."""

import logging

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from checkins.models import Alert
from kendra import audit
from kendra.models import Resident, Role
from kendra.notify.outbox import RecipientError, enqueue
from kendra.stays import Stay

from . import alumni, matching
from .models import MentorProfile, Pairing

log = logging.getLogger(__name__)


class PairingError(Exception):
    """A pairing rule was broken; str(error) is a message for the person who tried."""


def active_load(mentor):
    return Pairing.objects.active().filter(mentor=mentor).count()


def check_pair(mentor, mentee, today=None):
    """Raise PairingError if `mentor` may not take `mentee` now (load not checked)."""
    if mentor.resident_id == mentee.pk:
        raise PairingError(_("A resident cannot be their own mentor."))
    if mentor.centre_id != mentee.centre_id:
        raise PairingError(
            _("%(mentor)s mentors at another centre and cannot be paired with %(mentee)s.")
            % {"mentor": mentor.name, "mentee": mentee.display_name}
        )
    if mentee.status != Resident.Status.ADMITTED:
        raise PairingError(
            _("%(mentee)s is not admitted now, so cannot be given a mentor.")
            % {"mentee": mentee.display_name}
        )
    reason = mentor.ineligible_reason(today)
    if reason:
        raise PairingError(reason)
    if mentor.centre.same_gender_mentoring and mentor.resident.gender != mentee.gender:
        raise PairingError(_("This centre pairs mentors and mentees of the same gender only."))


def assign_mentor(mentor_pk, mentee_pk, by, *, ending=None, ending_note=""):
    """Pair mentee with mentor. Two peer leaders may do this at the same moment:
    the mentor row is locked so the capacity count cannot be raced, and the database
    allows one active pairing per mentee, so exactly one of them wins."""
    with transaction.atomic():
        try:
            mentor = (
                MentorProfile.objects.select_for_update(of=("self",))
                .select_related("resident", "centre", "user")
                .get(pk=mentor_pk)
            )
        except MentorProfile.DoesNotExist:
            raise PairingError(_("That mentor no longer exists.")) from None
        mentee = Resident.objects.select_related("centre").get(pk=mentee_pk)
        check_pair(mentor, mentee)
        current = Pairing.objects.active().filter(mentee=mentee).select_related("mentor__resident")
        current = [p for p in current if p.pk != getattr(ending, "pk", None)]
        if current:
            raise PairingError(
                _("%(mentee)s already has a mentor: %(mentor)s.")
                % {"mentee": mentee.display_name, "mentor": current[0].mentor.name}
            )
        if active_load(mentor) >= mentor.capacity:
            raise PairingError(
                _(
                    "%(mentor)s already has %(capacity)s mentees, the most they take. Choose another mentor."
                )
                % {"mentor": mentor.name, "capacity": mentor.capacity}
            )
        if ending is not None:
            _end(ending, Pairing.EndReason.REASSIGNED, by, note=ending_note)
        try:
            with transaction.atomic():
                pairing = Pairing.objects.create(
                    centre=mentee.centre, mentor=mentor, mentee=mentee, assigned_by=by
                )
        except IntegrityError:
            raise PairingError(
                _("%(mentee)s was given a mentor by someone else a moment ago.")
                % {"mentee": mentee.display_name}
            ) from None
        # Ids, never names: the audit trail cannot be rewritten when a person is erased
        # (kendra/erasure.py), so nothing personal goes into it.
        audit.record(
            by, "pairing.assigned", pairing, resident=mentee, detail=f"mentor {pairing.mentor_id}"
        )
        notify_assigned(pairing)
    return pairing


def notify_assigned(pairing):
    user = pairing.mentor.user
    if user is None:
        return None
    try:
        return enqueue(
            "pairing_assigned",
            slot=f"pairing-{pairing.pk}",
            user=user,
            centre=pairing.centre,
            context={"pairing": pairing, "mentee": pairing.mentee, "mentor": pairing.mentor},
            link=reverse("mentors:pairing_detail", args=[pairing.pk]),
        )
    except RecipientError as exc:  # in-app needs only the account; keep the pairing anyway
        log.warning("could not notify mentor of pairing %s: %s", pairing.pk, exc)
        return None


def _end(pairing, reason, by, note):
    # Locked and saved (not a bare UPDATE), so the pairing's history records the ending.
    current = (
        Pairing.objects.select_for_update().filter(pk=pairing.pk, ended_at__isnull=True).first()
    )
    if current is None:
        raise PairingError(_("This pairing has already ended."))
    current.ended_at, current.end_reason, current.end_note = timezone.now(), reason, note
    current.ended_by = by if getattr(by, "is_authenticated", False) else None
    current._history_user = current.ended_by  # the version says who ended it
    current.save(update_fields=["ended_at", "end_reason", "end_note", "ended_by"])
    pairing.refresh_from_db()
    audit.record(
        by,
        "pairing.ended",
        pairing,
        resident=pairing.mentee,
        detail=pairing.get_end_reason_display(),
    )
    return pairing


@transaction.atomic
def end_pairing(pairing, reason, by, note=""):
    if reason not in Pairing.EndReason.values:
        raise PairingError(_("Choose why the pairing ends."))
    return _end(pairing, reason, by, note)


def on_membership_ended(sender, membership, by=None, note="", **kwargs):
    """A mentor whose membership ends stops mentoring there: their pairings end, with a note
    (kendra.actions.end_membership sends this inside its transaction)."""
    if membership.role != Role.MENTOR:
        return []
    why = _("Membership ended: %(note)s") % {"note": note} if note else _("Membership ended.")
    pairings = Pairing.objects.active().filter(
        centre_id=membership.centre_id, mentor__user_id=membership.user_id
    )
    return [_end(p, Pairing.EndReason.MENTOR_STEPPED_BACK, by, why) for p in pairings]


def reassign(pairing, new_mentor_pk, by, note=""):
    """End `pairing` as reassigned and pair the mentee with another mentor, or neither."""
    if not pairing.is_active:
        raise PairingError(_("This pairing has already ended."))
    if new_mentor_pk == pairing.mentor_id:
        raise PairingError(_("Choose a different mentor to reassign to."))
    return assign_mentor(new_mentor_pk, pairing.mentee_id, by, ending=pairing, ending_note=note)


def log_contact(form, pairing, by):
    if not pairing.is_active:
        raise PairingError(_("This pairing has ended; contacts can no longer be logged."))
    contact = form.save(commit=False)
    contact.pairing = pairing
    contact.logged_by = by
    with transaction.atomic():
        contact.save()
        audit.record(by, "contact.logged", contact, centre=pairing.centre, resident=pairing.mentee)
    return contact


def suggestions(mentee, *, include_previous=False, today=None):
    """Ranked suggestions for `mentee`, in a fixed number of queries."""
    today = today or timezone.localdate()
    centre = mentee.centre

    def latest(**who):
        return Subquery(
            Stay.objects.filter(**who).order_by("-admission_date", "-pk").values("stage")[:1]
        )

    mentors = list(
        MentorProfile.objects.eligible(centre, today)
        .with_load()
        .select_related("resident", "centre")
        .exclude(resident=mentee)
        # the stages in the same query: the mentor's latest stay, the mentee's
        .annotate(
            stage=latest(resident=OuterRef("resident")),
            mentee_stage=latest(resident=mentee.pk),
        )
    )
    previous = Pairing.objects.ended().filter(mentee=mentee).values_list("mentor_id", flat=True)
    ranked = matching.rank(
        mentee,
        mentors + alumni.candidates(centre, today, mentee),
        today=today,
        same_gender_only=centre.same_gender_mentoring,
        previous=list(previous),
        include_previous=include_previous,
    )
    for s in ranked:
        if isinstance(s.mentor, alumni.AlumnusCandidate):
            alumni.explain(s, today)
    return ranked


def flagged_resident_ids(resident_ids):
    return set(
        Alert.objects.open()
        .filter(resident_id__in=resident_ids)
        .values_list("resident_id", flat=True)
    )
