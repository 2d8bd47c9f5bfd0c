"""Named actions that change check-ins, alerts and plans (views stay thin)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kendra import audit
from kendra.models import Consent, Resident
from kendra.stays import fill_stays

from . import help_requests, rules, schedule
from .models import (
    CIRCLE_ONLY,
    Alert,
    AlertEvent,
    Cadence,
    CheckIn,
    CheckinDefaults,
    CheckinLink,
    ReminderPlan,
)


def record_checkin(resident, *, mood, craving=None, note="", source, by=None, for_date=None):
    """Save one check-in and run the early-warning rules over it."""
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            resident=resident,
            mood=mood,
            craving=craving,
            note=note,
            source=source,
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
            for_date=for_date or timezone.localdate(),
        )
        rules.check_checkin(checkin)
    return checkin


def save_grid(residents, answers, by):
    """The morning circle: one check-in per resident for today, in one transaction.

    `answers` maps resident pk -> (mood, craving or None). A second save the same day
    corrects today's circle check-in rather than adding another.
    """
    today = timezone.localdate()
    now = timezone.now()
    by_pk = {r.pk: r for r in residents}
    with transaction.atomic():
        existing = {
            c.resident_id: c
            for c in CheckIn.objects.filter(
                resident_id__in=answers.keys(), source=CheckIn.Source.CIRCLE, for_date=today
            )
        }
        new, changed = [], []
        for pk, (mood, craving) in answers.items():
            checkin = existing.get(pk)
            if checkin is None:
                new.append(
                    CheckIn(
                        resident=by_pk[pk],
                        at=now,
                        mood=mood,
                        craving=craving,
                        source=CheckIn.Source.CIRCLE,
                        recorded_by=by,
                        for_date=today,
                    )
                )
            elif (checkin.mood, checkin.craving) != (mood, craving):
                checkin.mood, checkin.craving, checkin.recorded_by = mood, craving, by
                checkin.resident = by_pk[pk]
                changed.append(checkin)
        CheckIn.objects.bulk_create(fill_stays(new))
        CheckIn.objects.bulk_update(changed, ["mood", "craving", "recorded_by"])
        for checkin in new + changed:
            if checkin.mood <= rules.LOW_MOOD or (checkin.craving or 0) >= rules.HIGH_CRAVING:
                rules.check_checkin(checkin)
        if new or changed:
            audit.record(
                by,
                "checkins.grid_saved",
                centre=residents[0].centre if residents else None,
                detail=f"{len(new)} new, {len(changed)} corrected",
            )
    return len(new), len(changed)


def ask_for_help(resident, now=None):
    """A press of "I need help now": returns a help_requests.Press (its alert, who was told)."""
    return help_requests.press(resident, now)


@transaction.atomic
def acknowledge(alert, by):
    """Someone has it: the escalation stops (the beat's claim needs the alert open)."""
    if alert.status != Alert.Status.OPEN:
        return False
    now = timezone.now()
    # A conditional UPDATE is the claim (as the escalation beat claims its steps): only one
    # acknowledgement wins. Alerts keep no simple-history; their timeline is AlertEvent.
    taken = Alert.objects.filter(pk=alert.pk, status=Alert.Status.OPEN).update(
        status=Alert.Status.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=by, escalate_at=None
    )
    if not taken:
        return False
    AlertEvent.objects.create(alert=alert, at=now, kind=AlertEvent.Kind.ACKNOWLEDGED, user=by)
    audit.record(by, "alert.acknowledged", alert, resident=alert.resident)
    return True


@transaction.atomic
def resolve(alert, by, note):
    if alert.status == Alert.Status.RESOLVED:
        return False
    now = timezone.now()
    alert.status = Alert.Status.RESOLVED
    alert.resolved_at, alert.resolved_by, alert.resolution_note = now, by, note
    alert.escalate_at = None
    if not alert.acknowledged_at:
        alert.acknowledged_at, alert.acknowledged_by = now, by
    alert.save()
    AlertEvent.objects.create(alert=alert, at=now, kind=AlertEvent.Kind.RESOLVED, user=by)
    audit.record(by, "alert.resolved", alert, resident=alert.resident)
    return True


def default_plan(resident):
    """A new, unsaved plan from the centre's defaults."""
    defaults = CheckinDefaults.for_centre(resident.centre_id)
    return ReminderPlan(
        resident=resident,
        centre_id=resident.centre_id,
        local_time=defaults.local_time,
        channel=defaults.channel,
        quiet_start=defaults.quiet_start,
        quiet_end=defaults.quiet_end,
    )


def reschedule(plan, now=None):
    """Work out next_due_at afresh (after a change, or when a pause ends)."""
    now = now or timezone.now()
    plan.next_due_at = schedule.next_due(plan, now)
    return plan


def save_plan(form, by):
    plan = form.save(commit=False)
    adding = plan._state.adding
    if not adding:
        form.refresh_tick_fields(plan)
    reschedule(plan)
    plan.save(update_fields=None if adding else form.saved_fields())
    audit.record(by, "reminder_plan.saved", plan, resident=plan.resident)
    return plan


def _admission_channel(resident, consented):
    """Personal link by SMS with a phone and consent to check-in messages; otherwise the
    morning circle only."""
    return "sms" if resident.phone and resident.pk in consented else CIRCLE_ONLY


def on_resident_admitted(sender, residents, by=None, readmitted=False, **kwargs):
    """A check-in plan from the first day, for every way of admitting (form, import,
    readmission), from the centre's defaults. A readmitted person's plan starts again."""
    ids = [r.pk for r in residents]
    consented = set(
        Consent.objects.filter(
            resident_id__in=ids,
            purpose=Consent.Purpose.CHECKIN_MESSAGES,
            withdrawn_at__isnull=True,
        ).values_list("resident_id", flat=True)
    )
    existing = {p.resident_id: p for p in ReminderPlan.objects.filter(resident_id__in=ids)}
    now = timezone.now()
    new = []
    for resident in residents:
        plan = existing.get(resident.pk)
        if plan is None:
            plan = default_plan(resident)
            plan.channel = _admission_channel(resident, consented)
            new.append(reschedule(plan, now))
            continue
        plan.resident = resident
        plan.paused = False
        plan.cadence = Cadence.AUTO
        plan.missed_in_a_row = 0
        plan.channel = _admission_channel(resident, consented)
        reschedule(plan, now).save()
        audit.record(by, "reminder_plan.restarted", plan, resident=resident)
    ReminderPlan.objects.bulk_create(new)
    for plan in new:
        audit.record(by, "reminder_plan.created", plan, resident=plan.resident)


def ensure_plan(resident, now=None):
    """A plan for the resident, made from the centre defaults if there is none yet."""
    plan = ReminderPlan.objects.filter(resident=resident).first()
    if plan is None:
        plan = reschedule(default_plan(resident), now)
        plan.save()
    return plan


@transaction.atomic
def close_links(plan, by):
    """The counselor closes the personal link (after leaving against advice): every link
    of the plan stops working now."""
    closed = plan.revoke_links()
    audit.record(by, "reminder_plan.links_closed", plan, resident=plan.resident)
    return closed


@transaction.atomic
def new_link(plan, by):
    """ "Make a new link": every older link of the plan stops working; returns the new
    plain token (only its hash is stored), for staff to give to the resident."""
    plan.revoke_links()
    token = plan.new_link()
    audit.record(by, "reminder_plan.new_link", plan, resident=plan.resident)
    return token


# After leaving against advice the personal link stays open this long (the help button
# still works), unless the counselor closes it (close_links).
LEFT_AGAINST_ADVICE_LINK_DAYS = 30


def on_resident_discharged(sender, resident, by=None, **kwargs):
    """Links rotate on discharge: the resident's check-in links stop working. An alumnus
    who keeps check-ins gets a new link with the next reminder. Someone who left against
    advice keeps their link for 30 days, so "I need help now" still reaches someone."""
    plan = ReminderPlan.objects.filter(resident=resident).first()
    if plan is not None and resident.discharge_reason == Resident.DischargeReason.AGAINST_ADVICE:
        until = timezone.now() + dt.timedelta(days=LEFT_AGAINST_ADVICE_LINK_DAYS)
        # CheckinLink keeps no history: the links are hashes with dates.
        CheckinLink.objects.filter(plan=plan, revoked_at__isnull=True).update(expires_at=until)
        audit.record(by, "reminder_plan.links_kept", plan, resident=resident, detail="30 days")
        return
    if plan is not None and plan.revoke_links():
        audit.record(by, "reminder_plan.links_revoked", plan, resident=resident, detail="discharge")
