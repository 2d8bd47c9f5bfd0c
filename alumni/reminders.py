"""The alumni coordinator's mornings: this week's follow-ups in one email per coordinator,
overdue follow-ups told to the centre admins (once each), and a short, discreet greeting
to alumni on their anniversaries (1, 3 and 6 months, then every year) when they agreed
to be contacted. Every message goes through the outbox with a dedupe key, so a task run
twice writes nothing new."""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import ngettext

from kendra.discreet import name_in_messages
from kendra.models import Membership, Resident, Role
from kendra.notify import outbox

from .models import (
    FOLLOWUP_OVERDUE_AFTER_DAYS,
    AlumniProfile,
    FollowUp,
    add_months,
    contact_consent_in_force,
)

log = logging.getLogger(__name__)
ANNIVERSARY_MONTHS = (1, 3, 6)
MAX_YEARS = 60


def week_end(today):
    return today + dt.timedelta(days=6 - today.weekday())


def _end_of_day(today):
    tz = timezone.get_current_timezone()
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()), tz)


def due_this_week(centre_ids, today):
    """Open follow-ups of discharged alumni due by Sunday and not yet overdue."""
    return (
        FollowUp.objects.open()
        .filter(
            centre_id__in=centre_ids,
            due_on__gte=today - dt.timedelta(days=FOLLOWUP_OVERDUE_AFTER_DAYS),
            due_on__lte=week_end(today),
            profile__resident__status=Resident.Status.DISCHARGED,
        )
        .select_related("profile__resident")
        .order_by("due_on", "pk")
    )


def _people(role, centre_ids=None):
    """{user: [centre ids]} of active members in `role`."""
    rows = Membership.objects.filter(role=role, is_active=True, user__is_active=True)
    if centre_ids is not None:
        rows = rows.filter(centre_id__in=centre_ids)
    found = {}
    for m in rows.select_related("user__profile", "centre").order_by("user_id", "centre_id"):
        found.setdefault(m.user, []).append(m.centre)
    return found


def _enqueue(kind, user, **kwargs):
    """Email when they have an address, else in Kendra."""
    channel = "email" if user.email else "in_app"
    try:
        return outbox.enqueue(kind, user=user, channel=channel, **kwargs)
    except outbox.RecipientError as exc:
        log.info("no %s for %s: %s", kind, user, exc)
        return None


def send_followup_digests(today=None):
    """One message per coordinator with every follow-up due this week in their centres."""
    today = today or timezone.localdate()
    coordinators = _people(Role.ALUMNI_COORDINATOR)
    centre_ids = {c.pk for centres in coordinators.values() for c in centres}
    due = list(due_this_week(centre_ids, today))
    written = 0
    for user, centres in coordinators.items():
        mine = [f for f in due if f.centre_id in {c.pk for c in centres}]
        if not mine:
            continue
        row = _enqueue(
            "followup_digest",
            user,
            slot=f"followup-digest-{today}",
            centre=centres[0],
            context={"followups": mine, "count": len(mine)},
            expires_at=_end_of_day(today),
        )
        written += row is not None
    return written


def escalate_overdue(today=None):
    """Follow-ups overdue (more than 14 days past due, nobody recorded them) go to the
    centre admins, once: each is claimed with a conditional UPDATE before it is told."""
    today = today or timezone.localdate()
    overdue = (
        FollowUp.objects.overdue(today)
        .filter(escalated_at__isnull=True, profile__resident__status=Resident.Status.DISCHARGED)
        .select_related("profile__resident", "centre")
        .order_by("pk")
    )
    overdue = list(overdue)
    admins = _people(Role.CENTRE_ADMIN, {f.centre_id for f in overdue})
    written = 0
    for followup in overdue:
        claimed = FollowUp.objects.filter(pk=followup.pk, escalated_at__isnull=True).update(
            escalated_at=timezone.now()
        )  # FollowUp keeps no history: the claim is the record (like the outbox's)
        if not claimed:
            continue
        for user, centres in admins.items():
            if followup.centre_id not in {c.pk for c in centres}:
                continue
            row = _enqueue(
                "followup_overdue",
                user,
                slot=f"followup-{followup.pk}",
                centre=followup.centre,
                context={"followup": followup, "days": (today - followup.due_on).days},
                link=followup.get_absolute_url(),
            )
            written += row is not None
    return written


# --- anniversaries --------------------------------------------------------------------


def anniversary_months(sobriety_date, day):
    """Whole months from `sobriety_date` to `day` when `day` is an anniversary (1, 3, 6
    months, then every year), else None."""
    if sobriety_date is None or day <= sobriety_date:
        return None
    for months in (*ANNIVERSARY_MONTHS, *range(12, 12 * MAX_YEARS + 1, 12)):
        on = add_months(sobriety_date, months)
        if on == day:
            return months
        if on > day:
            return None
    return None


def _sobriety_dates(start, end):
    """Sobriety dates that may have an anniversary between start and end (a little wide
    at months' ends; anniversary_months decides exactly)."""
    dates = set()
    day = start
    while day <= end:
        for months in (*ANNIVERSARY_MONTHS, *range(12, 12 * MAX_YEARS + 1, 12)):
            base = add_months(day, -months)
            dates.update(base + dt.timedelta(days=n) for n in range(4))
        day += dt.timedelta(days=1)
    return sorted(dates)


def anniversaries_between(start, end, centre_ids=None, consent_only=False):
    """[(day, months, profile)] of alumni (discharged) with an anniversary in start..end."""
    profiles = AlumniProfile.objects.filter(
        resident__status=Resident.Status.DISCHARGED,
        resident__sobriety_date__in=_sobriety_dates(start, end),
    ).select_related("resident", "centre")
    if centre_ids is not None:
        profiles = profiles.filter(centre_id__in=centre_ids)
    if consent_only:
        profiles = profiles.annotate(contact_ok=contact_consent_in_force()).filter(contact_ok=True)
    found = []
    for profile in profiles:
        day = start
        while day <= end:
            months = anniversary_months(profile.resident.sobriety_date, day)
            if months:
                found.append((day, months, profile))
            day += dt.timedelta(days=1)
    found.sort(key=lambda row: (row[0], row[2].resident.display_name))
    return found


def span(months):
    """ "3 months", "2 years", in the active language."""
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}


def send_anniversaries(today=None):
    """Today's anniversaries: a short greeting in the alumnus's language, on their channel,
    only while their "be contacted as an alumnus" consent is in force. Once per
    anniversary and sobriety date (a relapse starts a new count)."""
    today = today or timezone.localdate()
    written = 0
    for _day, months, profile in anniversaries_between(today, today, consent_only=True):
        resident = profile.resident
        with translation.override(resident.preferred_language or settings.LANGUAGE_CODE):
            words = span(months)
        try:
            row = outbox.enqueue(
                "anniversary",
                slot=f"anniversary-{months}m-{resident.sobriety_date}",
                resident=resident,
                channel="sms",
                centre=profile.centre,
                context={
                    "span": words,
                    "words": profile.centre.anniversary_message,
                    "name_in_messages": name_in_messages(profile.centre),
                },
                expires_at=_end_of_day(today),
            )
        except outbox.RecipientError as exc:
            log.info("no anniversary greeting for alumnus %s: %s", profile.pk, exc)
            continue
        written += row is not None
    return written
