""" "I need help now": every press counts, and the page says who was really told.

A press makes its own alert and messages. A second press within a minute (a double tap)
counts once. A press while the person's earlier help alert is still open re-opens it,
adds "pressed again at 23:14" to its timeline and messages again. Each press tells the
mentor and the counselor on duty (the rota) in Kendra and by SMS, under its own outbox
slot; when nobody could be reached by phone the centre admins are alerted at once, and
the page shows the centre's emergency number and the national helpline.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kendra.models import Resident

from . import rules
from .models import Alert, AlertEvent, Level
from .telling import reached_by_phone, tell

DOUBLE_TAP = dt.timedelta(seconds=60)
PRESSES = (AlertEvent.Kind.PRESSED, AlertEvent.Kind.PRESSED_AGAIN)


@dataclass
class Press:
    """What one press did: its alert, its timeline line, and who was told (the TOLD
    lines of the messages written for it)."""

    alert: Alert
    event: AlertEvent
    counted: bool = True
    told: list = field(default_factory=list)

    def at(self, level):
        return [e for e in self.told if e.level == level]

    @property
    def reached(self):
        return reached_by_phone(self.at(Level.MENTOR) + self.at(Level.ON_DUTY))

    @property
    def page(self):
        """The help page's context: every line made from a message that was written."""
        centre = self.alert.centre
        return {
            "press": self,
            "mentors": self.at(Level.MENTOR),
            "on_duty": self.at(Level.ON_DUTY),
            "admins": self.at(Level.ADMINS),
            "reached": self.reached,
            "emergency_phone": centre.emergency_phone or centre.phone,
            "helpline": settings.KENDRA_HELPLINE,
            "helpline_name": settings.KENDRA_HELPLINE_NAME,
        }


def slot_for(event):
    return f"help-{event.pk}"


def press(resident, now=None):
    """Record one press of "I need help now" and tell people. Returns a Press."""
    now = now or timezone.now()
    with transaction.atomic():
        # One press at a time per person: a double tap's two requests queue here.
        list(Resident.objects.select_for_update().filter(pk=resident.pk).values_list("pk"))
        alert = (
            Alert.objects.open()
            .filter(resident=resident, rule=Alert.Rule.HELP_REQUEST)
            .select_related("centre", "resident")
            .order_by("-raised_at", "-pk")
            .first()
        )
        if alert is not None:
            last = alert.events.filter(kind__in=PRESSES).order_by("-at", "-pk").first()
            if last is not None and now - last.at < DOUBLE_TAP:
                return _earlier(alert, last)
            event = _press_again(alert, now)
        else:
            alert, event = _new_alert(resident, now)
        return _tell(alert, event, now)


def _new_alert(resident, now):
    local = timezone.localtime(now)
    details = {
        "name": resident.display_name,
        "day": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
    }
    with translation.override("en"):  # stored in the centre's working language
        reason = _("%(name)s pressed “I need help now” at %(time)s on %(day)s.") % {
            **details,
            "day": rules._day(now),
        }
    alert = Alert.objects.create(
        resident=resident,
        centre=resident.centre,
        rule=Alert.Rule.HELP_REQUEST,
        reason=reason,
        details=details,
        dedupe_key=f"{resident.pk}:{Alert.Rule.HELP_REQUEST}:{now.isoformat()}",
        raised_at=now,
        level=Level.ON_DUTY,
        escalate_at=now + rules.window(Alert.Rule.HELP_REQUEST, resident.centre),
    )
    return alert, AlertEvent.objects.create(alert=alert, at=now, kind=AlertEvent.Kind.PRESSED)


def _press_again(alert, now):
    """Re-open the alert (if acknowledged) and start its escalation again from this press."""
    alert.status, alert.acknowledged_at, alert.acknowledged_by = Alert.Status.OPEN, None, None
    alert.level = Level.ON_DUTY
    alert.escalate_at = now + rules.window(alert, alert.centre)
    Alert.objects.filter(pk=alert.pk).update(
        status=alert.status,
        acknowledged_at=None,
        acknowledged_by=None,
        level=alert.level,
        escalate_at=alert.escalate_at,
    )
    return AlertEvent.objects.create(alert=alert, at=now, kind=AlertEvent.Kind.PRESSED_AGAIN)


def _tell(alert, event, now):
    slot = slot_for(event)
    context = {"again": event.kind == AlertEvent.Kind.PRESSED_AGAIN, "time": _time(now)}
    told = []
    for level in (Level.MENTOR, Level.ON_DUTY):
        told += tell(
            alert,
            rules.people_at(level, alert.resident, now),
            kind="help",
            slot=slot,
            level=level,
            urgent=True,
            now=now,
            context=context,
        )
    result = Press(alert, event, told=told)
    if not result.reached:
        AlertEvent.objects.create(
            alert=alert, at=now, kind=AlertEvent.Kind.NOBODY_REACHED, level=Level.ADMINS, slot=slot
        )
        result.told += tell(
            alert,
            rules.centre_admins(alert.centre_id),
            kind="escalation",
            slot=f"{slot}-admins",
            level=Level.ADMINS,
            urgent=True,
            now=now,
            context={**context, "nobody_reached": True},
        )
    return result


def _earlier(alert, event):
    """A double tap: the earlier press, with who it told (from its timeline)."""
    slot = slot_for(event)
    told = list(
        alert.events.filter(kind=AlertEvent.Kind.TOLD, slot__in=[slot, f"{slot}-admins"])
        .select_related("user")
        .order_by("at", "pk")
    )
    return Press(alert, event, counted=False, told=told)


def _time(now):
    return timezone.localtime(now).strftime("%H:%M")
