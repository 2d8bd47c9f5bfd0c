"""State changes in the alumni network, in one place: views stay thin, tests and the
demo set up data the way the product does. Each change is audited.

Rules raise RuleBroken with words a coordinator understands; forms call the same
checks in clean(), so bad input shows a message and saves nothing.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kendra import audit
from kendra.models import Consent, Resident

from . import story_news
from .models import (
    EARLY_CONTACT_DAYS,
    FOLLOWUP_MONTHS,
    AlumniProfile,
    FollowUp,
    Relapse,
    SuccessStory,
    Visit,
    add_months,
)


class RuleBroken(Exception):
    """A change the rules do not allow; str(error) is the message to show."""


# --- becoming an alumnus ---------------------------------------------------------------


@transaction.atomic
def make_alumnus(resident, by=None, early=False):
    """Profile (waiting for a consent decision) and the follow-up schedule after discharge."""
    profile, created = AlumniProfile.objects.get_or_create(
        resident=resident,
        defaults={
            "centre_id": resident.centre_id,
            "phone": resident.phone,
            "email": resident.email,
            "languages": list(resident.languages or []),
        },
    )
    if (
        created
        and Consent.objects.filter(
            resident=resident, purpose=Consent.Purpose.ALUMNI_CONTACT, withdrawn_at__isnull=True
        ).exists()
    ):
        profile.consent_decision = AlumniProfile.Decision.OPTED_IN
        profile.save(update_fields=["consent_decision"])
    schedule_followups(profile, resident.discharge_date, early=early)
    audit.record(by, "alumni.created" if created else "alumni.rejoined", profile)
    return profile


def schedule_followups(profile, discharge_date, early=False):
    """The follow-ups at 1, 3, 6 and 12 months; with `early` (left against advice) first
    the urgent contacts at 1, 3 and 7 days."""
    if early:
        for days in EARLY_CONTACT_DAYS:
            FollowUp.objects.get_or_create(
                profile=profile,
                discharge_date=discharge_date,
                months=0,
                days=days,
                defaults={
                    "centre_id": profile.centre_id,
                    "due_on": discharge_date + dt.timedelta(days=days),
                },
            )
    for months in FOLLOWUP_MONTHS:
        FollowUp.objects.get_or_create(
            profile=profile,
            discharge_date=discharge_date,
            months=months,
            days=0,
            defaults={"centre_id": profile.centre_id, "due_on": add_months(discharge_date, months)},
        )


def on_resident_discharged(sender, resident, by=None, **kwargs):
    if resident.discharge_reason == Resident.DischargeReason.COMPLETED:
        make_alumnus(resident, by)
    elif resident.discharge_reason == Resident.DischargeReason.AGAINST_ADVICE:
        make_alumnus(resident, by, early=True)


@transaction.atomic
def on_resident_readmitted(sender, resident, stay, last_stay, by=None, **kwargs):
    """Back for a new stay: the relapse goes on the alumni record (the old sobriety date
    kept in a Relapse row), and the open follow-ups of the last stay end, "readmitted"."""
    profile = AlumniProfile.objects.filter(resident=resident).first()
    if profile is None:
        return
    now = timezone.now()
    open_followups = list(
        FollowUp.objects.open().filter(Q(stay=last_stay) | Q(stay__isnull=True), profile=profile)
    )
    for followup in open_followups:
        followup.outcome = FollowUp.Outcome.READMITTED
        followup.recorded_at, followup.recorded_by = now, by
    FollowUp.objects.bulk_update(open_followups, ["outcome", "recorded_at", "recorded_by"])
    relapse = Relapse.objects.create(
        profile=profile,
        relapsed_on=stay.admission_date,
        previous_sobriety_date=resident.sobriety_date,
        new_sobriety_date=stay.admission_date,
        note=_("Readmitted on %(date)s.") % {"date": stay.admission_date.strftime("%d/%m/%Y")},
        recorded_by=by,
    )
    resident.sobriety_date = stay.admission_date
    resident.save(update_fields=["sobriety_date", "updated_at"])
    audit.record(by, "alumni.relapse_recorded", relapse, centre=profile.centre, resident=resident)


# --- consent and profile ---------------------------------------------------------------


@transaction.atomic
def record_consent(profile, decision, by, note=""):
    """Opt in (a Consent for ALUMNI_CONTACT, in force) or opt out (withdraw any in force)."""
    now = timezone.now()
    in_force = Consent.objects.select_for_update().filter(
        resident_id=profile.resident_id,
        purpose=Consent.Purpose.ALUMNI_CONTACT,
        withdrawn_at__isnull=True,
    )
    if decision == AlumniProfile.Decision.OPTED_IN:
        if not in_force.exists():
            Consent.objects.create(
                resident_id=profile.resident_id,
                purpose=Consent.Purpose.ALUMNI_CONTACT,
                grantee_description=_("Alumni coordinators of %(centre)s")
                % {"centre": profile.centre},
                given_at=now,
                given_by=by,
                note=note,
            )
    elif decision == AlumniProfile.Decision.OPTED_OUT:
        for consent in in_force:
            consent.withdraw(by)
    else:
        raise RuleBroken(_("Choose whether they agree to be contacted."))
    profile.consent_decision = decision
    profile.consent_decided_at = now
    profile.consent_decided_by = by
    fields = ["consent_decision", "consent_decided_at", "consent_decided_by", "updated_at"]
    if decision == AlumniProfile.Decision.OPTED_OUT:
        # Someone who said no is not offered for visits or mentoring any more.
        profile.available_for_visits = profile.can_mentor = False
        fields += ["available_for_visits", "can_mentor"]
    profile.save(update_fields=fields)
    audit.record(by, f"alumni.consent_{decision}", profile, resident=profile.resident)
    return profile


@transaction.atomic
def update_profile(form, by):
    changed = ", ".join(form.changed_data)
    profile = form.save()
    audit.record(by, "alumni.changed", profile, detail=changed)
    return profile


def check_relapse(profile, relapsed_on, new_sobriety_date, today=None):
    today = today or timezone.localdate()
    if relapsed_on > today:
        raise RuleBroken(_("The date of the relapse cannot be in the future."))
    if new_sobriety_date > today:
        raise RuleBroken(_("The new sobriety date cannot be in the future."))
    if new_sobriety_date < relapsed_on:
        raise RuleBroken(_("The new sobriety date cannot be before the relapse."))
    previous = profile.resident.sobriety_date
    if previous and relapsed_on < previous:
        raise RuleBroken(
            _("The relapse cannot be before the current sobriety date (%(date)s).")
            % {"date": previous.strftime("%d/%m/%Y")}
        )


@transaction.atomic
def record_relapse(profile, relapsed_on, new_sobriety_date, by, note=""):
    """A new sobriety date; the old one is kept in a Relapse row (nothing is lost)."""
    resident = Resident.objects.select_for_update().get(pk=profile.resident_id)
    profile.resident = resident
    check_relapse(profile, relapsed_on, new_sobriety_date)
    relapse = Relapse.objects.create(
        profile=profile,
        relapsed_on=relapsed_on,
        previous_sobriety_date=resident.sobriety_date,
        new_sobriety_date=new_sobriety_date,
        note=note,
        recorded_by=by,
    )
    resident.sobriety_date = new_sobriety_date
    resident.save(update_fields=["sobriety_date", "updated_at"])
    audit.record(by, "alumni.relapse_recorded", relapse, centre=profile.centre, resident=resident)
    return relapse


def mark_reached(profiles, day):
    # One UPDATE for the whole list: AlumniProfile keeps no history and nothing listens to
    # its saves; only ever moves the date forward.
    AlumniProfile.objects.filter(pk__in=[p.pk for p in profiles]).filter(
        Q(last_reached_on__isnull=True) | Q(last_reached_on__lt=day)
    ).update(last_reached_on=day)


# --- visits ----------------------------------------------------------------------------


def check_alumni_for_visit(alumni, centre):
    for alumnus in alumni:
        if alumnus.centre_id != centre.pk:
            raise RuleBroken(_("%(name)s is an alumnus of another centre.") % {"name": alumnus})
        if alumnus.consent_decision != AlumniProfile.Decision.OPTED_IN:
            raise RuleBroken(
                _("%(name)s has not agreed to be contacted, so cannot be invited.")
                % {"name": alumnus}
            )
        if not alumnus.available_for_visits:
            raise RuleBroken(
                _(
                    "%(name)s is not available for visits. Change their profile first if that has changed."
                )
                % {"name": alumnus}
            )


def check_visit_time(starts_at, ends_at):
    if starts_at <= timezone.now():
        raise RuleBroken(_("A visit can only be proposed for a time that is still to come."))
    if ends_at <= starts_at:
        raise RuleBroken(_("The visit must end after it starts."))


@transaction.atomic
def propose_visit(form, by):
    visit = form.save(commit=False)
    visit.proposed_by = by
    visit.status = Visit.Status.PROPOSED
    visit.save()
    form.save_m2m()
    audit.record(by, "alumni.visit_proposed", visit, detail=form.conflict_text())
    return visit


def _locked(visit):
    return Visit.objects.select_for_update().get(pk=visit.pk)


@transaction.atomic
def confirm_visit(visit, by):
    current = _locked(visit)
    if current.status != Visit.Status.PROPOSED:
        raise RuleBroken(
            _("Only a proposed visit can be confirmed. This one is %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    if current.has_started:
        raise RuleBroken(_("The time of this visit has passed. Record how it went, or cancel it."))
    current.status = Visit.Status.CONFIRMED
    current.confirmed_at, current.confirmed_by = timezone.now(), by
    current.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    audit.record(by, "alumni.visit_confirmed", current)
    return current


def check_visit_done(visit):
    if visit.status != Visit.Status.CONFIRMED:
        raise RuleBroken(_("Only a confirmed visit can be recorded as done."))
    if not visit.has_started:
        raise RuleBroken(
            _("This visit has not happened yet. Record how it went after %(when)s.")
            % {"when": timezone.localtime(visit.starts_at).strftime("%d/%m/%Y %H:%M")}
        )


@transaction.atomic
def record_visit_done(visit, by, feedback, residents_reached=None):
    current = _locked(visit)
    check_visit_done(current)
    if not (feedback or "").strip():
        raise RuleBroken(_("Write a few words about how it went."))
    current.status = Visit.Status.DONE
    current.done_at, current.done_by = timezone.now(), by
    current.feedback = feedback.strip()
    current.residents_reached = residents_reached
    current.save(update_fields=["status", "done_at", "done_by", "feedback", "residents_reached"])
    mark_reached(list(current.alumni.all()), current.local_date)
    audit.record(by, "alumni.visit_done", current)
    return current


def check_cancel(visit, reason):
    if not visit.is_open:
        raise RuleBroken(
            _("This visit is already %(status)s.") % {"status": visit.get_status_display().lower()}
        )
    if not (reason or "").strip():
        raise RuleBroken(_("Say why the visit is cancelled: the alumnus and staff will ask."))


@transaction.atomic
def cancel_visit(visit, by, reason):
    current = _locked(visit)
    check_cancel(current, reason)
    current.status = Visit.Status.CANCELLED
    current.cancelled_at, current.cancelled_by = timezone.now(), by
    current.cancel_reason = reason.strip()
    current.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    audit.record(by, "alumni.visit_cancelled", current, detail=current.cancel_reason)
    return current


# --- follow-ups ------------------------------------------------------------------------


def check_followup(followup, today=None):
    today = today or timezone.localdate()
    if followup.outcome:
        raise RuleBroken(_("The outcome of this follow-up is already recorded."))
    if followup.profile.resident.status != Resident.Status.DISCHARGED:
        raise RuleBroken(
            _("%(name)s is not discharged (admitted again), so there is no follow-up to record.")
            % {"name": followup.profile}
        )
    if today < followup.opens_on():
        raise RuleBroken(
            _("This follow-up is not due yet. It can be recorded from %(date)s.")
            % {"date": followup.opens_on().strftime("%d/%m/%Y")}
        )


@transaction.atomic
def record_followup_outcome(followup, outcome, by, note=""):
    current = (
        FollowUp.objects.select_for_update().select_related("profile__resident").get(pk=followup.pk)
    )
    check_followup(current)
    if outcome not in FollowUp.Outcome.values:
        raise RuleBroken(_("Choose how the follow-up went."))
    current.outcome, current.outcome_note = outcome, note.strip()
    current.recorded_at, current.recorded_by = timezone.now(), by
    current.save(update_fields=["outcome", "outcome_note", "recorded_at", "recorded_by"])
    if current.reached:
        mark_reached([current.profile], timezone.localdate())
    audit.record(by, "alumni.followup_recorded", current, resident=current.profile.resident)
    return current


def reach_rate(centre_ids, today=None, since=None):
    """Share of follow-ups already due (since `since`) where someone reached the alumnus.

    The denominator counts every follow-up whose due date has passed, recorded or not:
    a follow-up nobody made is a person not reached.
    """
    today = today or timezone.localdate()
    followups = FollowUp.objects.filter(centre_id__in=centre_ids, due_on__lte=today)
    if since:
        followups = followups.filter(due_on__gte=since)
    counts = followups.aggregate(
        due=Count("pk"), reached=Count("pk", filter=Q(outcome__in=FollowUp.REACHED))
    )
    rate = round(100 * counts["reached"] / counts["due"]) if counts["due"] else None
    return {"due": counts["due"], "reached": counts["reached"], "percent": rate}


# --- success stories -------------------------------------------------------------------


def check_story_editable(story):
    if story.published:
        raise RuleBroken(
            _(
                "This story has been published (or its consent withdrawn), so it can no longer "
                "be changed: the alumnus agreed to this text. Write a new story instead."
            )
        )


@transaction.atomic
def save_story(form, by):
    """Create or edit a draft story. Audited with the fields that changed."""
    story = form.save(commit=False)
    creating = story.pk is None
    if not creating:
        check_story_editable(SuccessStory.objects.select_for_update().get(pk=story.pk))
    else:
        story.written_by = by
    story.centre_id = story.profile.centre_id
    story.save()
    if not creating:
        story_news.tell_alumnus(story, "changed", version=f"-{timezone.now():%Y%m%d%H%M%S}")
    audit.record(
        by,
        "alumni.story_written" if creating else "alumni.story_changed",
        story,
        centre=story.centre,
        resident=story.profile.resident,
        detail="" if creating else ", ".join(form.changed_data),
    )
    return story


def check_publish(story, consent_given):
    if story.published:
        raise RuleBroken(
            _("This story has already been published. A withdrawn consent cannot be reused.")
        )
    if not consent_given:
        raise RuleBroken(
            _(
                "A story is published only with the alumnus's consent for this story. "
                "Read it with them, and tick that they agree, before publishing."
            )
        )


@transaction.atomic
def publish_story(story, by, consent_given, note=""):
    """Record the alumnus's consent for this very story, then publish it."""
    current = SuccessStory.objects.select_for_update().select_related("profile").get(pk=story.pk)
    check_publish(current, consent_given)
    now = timezone.now()
    consent = Consent.objects.create(
        resident_id=current.profile.resident_id,
        purpose=Consent.Purpose.STORY_PUBLICATION,
        grantee_description=_("Staff of %(centre)s (story: %(title)s)")
        % {"centre": current.centre, "title": current.title},
        given_at=now,
        given_by=by,
        note=(note or "").strip(),
    )
    current.consent = consent
    current.published, current.published_at = True, now
    current.save(update_fields=["consent", "published", "published_at", "updated_at"])
    audit.record(
        by, "alumni.story_published", current, centre=current.centre, resident=consent.resident
    )
    story_news.tell_alumnus(current, "published")
    return current


@transaction.atomic
def withdraw_story(story, by):
    """The alumnus withdrew consent: the story is hidden at once; nothing is deleted."""
    current = (
        SuccessStory.objects.select_for_update(of=("self",))
        .select_related("consent")
        .get(pk=story.pk)
    )
    if not current.is_visible:
        raise RuleBroken(_("This story is not published, so there is no consent to withdraw."))
    current.consent.withdraw(by)
    audit.record(
        by,
        "alumni.story_withdrawn",
        current,
        centre=current.centre,
        resident=current.consent.resident,
    )
    return current
