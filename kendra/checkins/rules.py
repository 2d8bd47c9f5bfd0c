"""Early-warning rules: plain functions over check-ins, plans and attendance.

Each rule raises at most one Alert per person per day (Alert.dedupe_key), with the
reason in words, and tells the mentor first, then the centre's counselors. Attendance
lives in the groups app and pairings in the mentors app, built separately: both are
looked up by name and a rule is skipped when its model or fields are not there.
"""

import datetime as dt
import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kendra.models import Membership, Role
from kendra.notify.outbox import RecipientError, enqueue

from .models import Alert

log = logging.getLogger(__name__)

LOW_MOOD = 2  # mood 1–2 of 5
HIGH_CRAVING = 7  # craving 7 or more of 10
ATTENDANCE_DAYS = 14
ATTENDANCE_MIN = 0.5


# --- who hears about it -------------------------------------------------------------


def _active_pairings():
    """Active mentor pairings (mentors app), or None where that app is not installed.

    kendra imports no app, so the model is looked up by name.
    """
    try:
        Pairing = apps.get_model("mentors", "Pairing")
    except LookupError:
        return None
    return Pairing.objects.filter(ended_at__isnull=True)


def active_mentor(resident):
    """The user account of the resident's active mentor, or None."""
    pairings = _active_pairings()
    if pairings is None:
        return None
    user_id = (
        pairings.filter(mentee=resident)
        .order_by("-pk")
        .values_list("mentor__user_id", flat=True)
        .first()
    )
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def mentee_ids(user):
    """Residents the user mentors now (for what a mentor may see on the alerts page)."""
    pairings = _active_pairings()
    if pairings is None:
        return []
    return list(pairings.filter(mentor__user=user).values_list("mentee_id", flat=True))


def counselors(centre_id, on_duty_only=False):
    memberships = Membership.objects.filter(
        centre_id=centre_id, role=Role.COUNSELOR, is_active=True
    )
    if on_duty_only and memberships.filter(on_duty=True).exists():
        memberships = memberships.filter(on_duty=True)
    return [m.user for m in memberships.select_related("user__profile").order_by("user_id")]


def recipients(resident, rule):
    """Mentor first, then counselors (only the on-duty one for a help request)."""
    people = []
    mentor = active_mentor(resident)
    if mentor is not None:
        people.append(mentor)
    on_duty = rule == Alert.Rule.HELP_REQUEST
    for user in counselors(resident.centre_id, on_duty_only=on_duty):
        if user not in people:
            people.append(user)
    return people


def _notify(alert):
    from django.urls import reverse

    link = reverse("checkins:alerts")
    urgent = alert.rule == Alert.Rule.HELP_REQUEST
    for user in recipients(alert.resident, alert.rule):
        channels = ["in_app"]
        if urgent:
            channels.append("sms")  # at once: to the phone too, when they gave one
        for channel in channels:
            try:
                enqueue(
                    "alert",
                    slot=f"alert-{alert.pk}",
                    user=user,
                    channel=channel,
                    centre=alert.centre,
                    link=link,
                    context={"alert": alert, "resident": alert.resident, "urgent": urgent},
                )
            except RecipientError:
                continue


# --- raising ------------------------------------------------------------------------


def raise_alert(resident, rule, reason, *, details=None, checkin=None, now=None):
    """One alert per person, rule and day. Returns the new Alert, or None if already raised."""
    now = now or timezone.now()
    key = f"{resident.pk}:{rule}:{timezone.localdate(now):%Y-%m-%d}"
    if Alert.objects.filter(dedupe_key=key).exists():
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                resident=resident,
                centre_id=resident.centre_id,
                rule=rule,
                reason=reason,
                details=details or {},
                checkin=checkin,
                dedupe_key=key,
                raised_at=now,
            )
    except IntegrityError:
        return None
    _notify(alert)
    return alert


def _details(resident, when, mood=False, **values):
    """What a reason is made of, kept so it can be worded in the reader's language."""
    details = {"name": resident.display_name, "day": timezone.localtime(when).date().isoformat()}
    if mood:
        details["mood"] = values["n"]
    details.update(values)
    return details


def _day(value):
    return date_format(timezone.localtime(value).date(), "SHORT_DATE_FORMAT")


def check_checkin(checkin):
    """Rules over one check-in: low mood, strong craving. Returns the alerts raised."""
    resident = checkin.resident
    raised = []
    # Reasons are stored in the centre's working language (English); pages translate labels.
    with translation.override("en"):
        if checkin.mood is not None and checkin.mood <= LOW_MOOD:
            raised.append(
                raise_alert(
                    resident,
                    Alert.Rule.LOW_MOOD,
                    _("%(name)s said their mood was “%(mood)s” (%(n)s of 5) on %(day)s.")
                    % {
                        "name": resident.display_name,
                        "mood": checkin.get_mood_display(),
                        "n": checkin.mood,
                        "day": _day(checkin.at),
                    },
                    details=_details(resident, checkin.at, n=checkin.mood, mood=True),
                    checkin=checkin,
                    now=checkin.at,
                )
            )
        if checkin.craving is not None and checkin.craving >= HIGH_CRAVING:
            raised.append(
                raise_alert(
                    resident,
                    Alert.Rule.HIGH_CRAVING,
                    _("%(name)s rated their craving %(n)s of 10 on %(day)s.")
                    % {
                        "name": resident.display_name,
                        "n": checkin.craving,
                        "day": _day(checkin.at),
                    },
                    details=_details(resident, checkin.at, n=checkin.craving),
                    checkin=checkin,
                    now=checkin.at,
                )
            )
    return [a for a in raised if a]


def help_request(resident, now=None):
    now = now or timezone.now()
    with translation.override("en"):
        reason = _("%(name)s pressed “I need help now” at %(time)s on %(day)s.") % {
            "name": resident.display_name,
            "time": timezone.localtime(now).strftime("%H:%M"),
            "day": _day(now),
        }
    details = _details(resident, now, time=timezone.localtime(now).strftime("%H:%M"))
    return raise_alert(resident, Alert.Rule.HELP_REQUEST, reason, details=details, now=now)


def check_missed(plan, now=None):
    """Two reminders in a row went unanswered."""
    if plan.missed_in_a_row < 2:
        return None
    with translation.override("en"):
        reason = _("%(name)s has not answered the last %(n)s check-in reminders.") % {
            "name": plan.resident.display_name,
            "n": plan.missed_in_a_row,
        }
    details = {"name": plan.resident.display_name, "n": plan.missed_in_a_row}
    return raise_alert(plan.resident, Alert.Rule.MISSED_CHECKINS, reason, details=details, now=now)


def attendance_rates(resident_ids, now):
    """{resident_id: (attended, counted)} over the last 14 days, or None when the groups
    app has no attendance yet."""
    try:
        Attendance = apps.get_model("groups", "Attendance")
        since = now - dt.timedelta(days=ATTENDANCE_DAYS)
        rows = (
            Attendance.objects.filter(
                resident_id__in=resident_ids, session__start__gte=since, session__start__lt=now
            )
            .exclude(status="excused")
            .values("resident_id")
            .annotate(
                counted=Count("pk"), came=Count("pk", filter=Q(status__in=["present", "late"]))
            )
        )
        return {r["resident_id"]: (r["came"], r["counted"]) for r in rows}
    except (LookupError, FieldError) as exc:
        log.debug("attendance rule skipped: %s", exc)
        return None


def check_attendance_many(residents, now=None):
    """Attendance under 50% over the last 14 days (excused absences left out)."""
    now = now or timezone.now()
    if not residents:
        return []
    rates = attendance_rates([r.pk for r in residents], now)
    if not rates:
        return []
    raised = []
    for resident in residents:
        came, counted = rates.get(resident.pk, (0, 0))
        if counted and came / counted < ATTENDANCE_MIN:
            with translation.override("en"):
                reason = _(
                    "%(name)s came to %(came)s of %(counted)s sessions in the last 14 days."
                ) % {"name": resident.display_name, "came": came, "counted": counted}
            details = {"name": resident.display_name, "came": came, "counted": counted}
            alert = raise_alert(
                resident, Alert.Rule.LOW_ATTENDANCE, reason, details=details, now=now
            )
            if alert:
                raised.append(alert)
    return raised


def check_attendance(resident, now=None):
    return check_attendance_many([resident], now)
