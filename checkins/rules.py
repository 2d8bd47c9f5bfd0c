"""Early-warning rules: plain functions over check-ins, plans and attendance.

Each rule raises at most one Alert per person per day (Alert.dedupe_key), with the
reason in words, and tells the mentor and the centre's counselors; escalation.py sends
it further while nobody acknowledges it. "I need help now" is not a rule: every press
counts (help.py). Attendance lives in the groups app, pairings in the mentors app
and the rota in the rota app: each answers through kendra/providers.py, and a rule is
skipped when no app answers.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kendra import providers
from kendra.models import Membership, Role

from .models import Alert, AlertEvent, Level
from .telling import tell

log = logging.getLogger(__name__)

LOW_MOOD = 2  # mood 1–2 of 5
HIGH_CRAVING = 7  # craving 7 or more of 10
ATTENDANCE_DAYS = 14
ATTENDANCE_MIN = 0.5


# --- who hears about it -------------------------------------------------------------


def active_mentor(resident):
    """The user account of the resident's active mentor (mentors app), or None."""
    return providers.active_mentor(resident)


def mentee_ids(user):
    """Residents the user mentors now (for what a mentor may see on the alerts page)."""
    return providers.mentee_ids(user)


def counselors(centre_id):
    """Every counselor of the centre whose membership is active."""
    return _users(centre_id, Role.COUNSELOR)


def centre_admins(centre_id):
    return _users(centre_id, Role.CENTRE_ADMIN)


def _users(centre_id, role):
    memberships = Membership.objects.filter(centre_id=centre_id, role=role, is_active=True)
    return [m.user for m in memberships.select_related("user__profile").order_by("user_id")]


def on_duty(centre_id, when=None):
    """The counselor(s) on duty now, by the rota (rota app); nobody where the rota is
    empty or not installed."""
    return providers.on_duty(centre_id, when)


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
    """{resident_id: (attended, counted)} over the last 14 days (groups app), or None
    when there is no attendance to go by."""
    return providers.attendance_rates(resident_ids, now - dt.timedelta(days=ATTENDANCE_DAYS), now)


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
