"""Visiting days: the coming dates on which a family may visit, from VisitingHours.

Computed, not stored: each active VisitingHours row gives one visit per matching weekday
in the window, skipping the centre's closed weekdays. Title, time, place and the note
only — nothing about the resident.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

WINDOW_DAYS = 14


@dataclass(frozen=True)
class Visit:
    hours: object  # VisitingHours
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def centre(self):
        return self.hours.centre

    @property
    def note(self):
        return self.hours.note

    @property
    def title(self):
        return _("Visiting hours")

    @property
    def uid(self):
        """Stable per centre, date and visiting-hours row (two slots on one day differ)."""
        return f"visiting-{self.hours.centre_id}-{self.date:%Y%m%d}-{self.hours.pk}@kendra"


def closed_days(centre):
    try:
        return {int(day) for day in centre.closed_weekdays or []}
    except (TypeError, ValueError):
        return set()


def upcoming_visits(hours, now=None, days=WINDOW_DAYS):
    """Visits from now for `days` days (today included), in date and time order.

    `hours` is an iterable of VisitingHours with their centre loaded."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    today = timezone.localtime(now, tz).date()
    visits = []
    for row in hours:
        closed = closed_days(row.centre)
        for offset in range(days):
            day = today + dt.timedelta(days=offset)
            if day.weekday() != row.weekday or day.weekday() in closed:
                continue
            starts = timezone.make_aware(dt.datetime.combine(day, row.start_time), tz)
            ends = timezone.make_aware(dt.datetime.combine(day, row.end_time), tz)
            if ends <= now:
                continue
            visits.append(Visit(row, day, starts, ends))
    visits.sort(key=lambda v: (v.starts_at, v.hours.centre_id, v.hours.pk))
    return visits
