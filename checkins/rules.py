"""Early-warning rules: plain functions over check-ins, plans and attendance.

Each rule raises at most one Alert per person per day (Alert.dedupe_key), with the
reason in words, and tells the mentor and the centre's counselors; escalation.py sends
it further while nobody acknowledges it. "I need help now" is not a rule: every press
counts (help.py). Attendance
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

from .models import Alert, AlertEvent, Level
from .telling import tell

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


def counselors(centre_id):
    """Every counselor of the centre whose membership is active."""
    return _users(centre_id, Role.COUNSELOR)


def centre_admins(centre_id):
    return _users(centre_id, Role.CENTRE_ADMIN)


def _users(centre_id, role):
    memberships = Membership.objects.filter(centre_id=centre_id, role=role, is_active=True)
    return [m.user for m in memberships.select_related("user__profile").order_by("user_id")]


def on_duty(centre_id, when=None):
    """The counselor(s) on duty now, by the rota (rota app, looked up by name as the
    mentors app is); nobody where the rota is empty or not installed."""
    try:
        DutyShift = apps.get_model("rota", "DutyShift")
    except LookupError:
        return []
    shifts = DutyShift.objects.on_duty(centre_id, when).select_related("membership__user__profile")
    return [s.membership.user for s in shifts.order_by("pk")]


def people_at(level, resident, when=None):
    """Who is told at one step of the ladder: mentor → counselor on duty → every
    counselor of the centre → centre admins."""
    if level == Level.MENTOR:
        return [u for u in [active_mentor(resident)] if u is not None]
    if level == Level.ON_DUTY:
        return on_duty(resident.centre_id, when)
    if level == Level.COUNSELORS:
        return counselors(resident.centre_id)
    return centre_admins(resident.centre_id)


def window(alert_or_rule, centre):
    """How long an alert may wait for an acknowledgement before it goes further."""
    rule = getattr(alert_or_rule, "rule", alert_or_rule)
    if rule == Alert.Rule.HELP_REQUEST:
        return dt.timedelta(minutes=centre.help_escalation_minutes)
    return dt.timedelta(hours=centre.alert_escalation_hours)


def _notify(alert, now):
    """An early warning goes to the mentor and to every counselor at once; unacknowledged,
    it goes to the centre admins after the centre's window (escalation.py)."""
    told = []
    for level in (Level.MENTOR, Level.COUNSELORS):
        told += tell(
            alert,
            people_at(level, alert.resident, now),
            kind="alert",
            slot=f"alert-{alert.pk}",
            level=level,
            urgent=False,
            now=now,
        )
    return told


# --- raising ------------------------------------------------------------------------


def raise_alert(resident, rule, reason, *, details=None, checkin=None, now=None):
    """One alert per person, rule and day. Returns the new Alert, or None if already raised.
    (A help request is not raised here: every press counts, see help.py.)"""
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
                level=Level.COUNSELORS,
            )
    except IntegrityError:
        return None
    AlertEvent.objects.create(alert=alert, at=now, kind=AlertEvent.Kind.RAISED)
    told = _notify(alert, now)
    # Nobody could be told at all: the next step is due at once.
    alert.escalate_at = now + window(alert, resident.centre) if told else now
    Alert.objects.filter(pk=alert.pk).update(escalate_at=alert.escalate_at)
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
