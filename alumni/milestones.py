"""Sobriety milestones, computed from the current sobriety date (never stored).

A relapse sets a new sobriety date (actions.record_relapse), so every list here
follows the current date at once. Anniversaries of 29 February fall on 28 February
in other years, and "6 months" from the 31st falls on the month's last day.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import AlumniProfile, add_months

# (key, days or None, months or None)
MILESTONES = [
    ("30d", 30, None),
    ("60d", 60, None),
    ("90d", 90, None),
    ("6m", None, 6),
    ("1y", None, 12),
    ("2y", None, 24),
    ("3y", None, 36),
    ("5y", None, 60),
    ("10y", None, 120),
]


def label(key):
    number, unit = int(key[:-1]), key[-1]
    if unit == "d":
        return _("%(n)d days sober") % {"n": number}
    if unit == "m":
        return _("%(n)d months sober") % {"n": number}
    return ngettext_lazy("%(n)d year sober", "%(n)d years sober", number) % {"n": number}


@dataclass
class Milestone:
    key: str
    on: dt.date
    resident: object
    profile: object = None

    @property
    def label(self):
        return label(self.key)


def milestone_dates(sobriety_date):
    """[(key, date)] for every milestone from a sobriety date, in order."""
    found = []
    for key, days, months in MILESTONES:
        if days:
            found.append((key, sobriety_date + dt.timedelta(days=days)))
        else:
            found.append((key, add_months(sobriety_date, months)))
    return found


def next_milestone(sobriety_date, today=None):
    """The first milestone on or after today, as (key, date), or None after ten years."""
    today = today or timezone.localdate()
    for key, on in milestone_dates(sobriety_date):
        if on >= today:
            return key, on
    return None


def milestones_for_residents(residents, start, end):
    """Milestones between start and end (inclusive) for any residents.

    Mentors can pass their mentees; coordinators get alumni through milestones_between.
    """
    found = []
    for resident in residents:
        if not resident.sobriety_date:
            continue
        for key, on in milestone_dates(resident.sobriety_date):
            if start <= on <= end:
                found.append(Milestone(key, on, resident, getattr(resident, "_profile", None)))
    found.sort(key=lambda m: (m.on, str(m.resident)))
    return found


def sobriety_dates_reaching(start, end):
    """A Q on resident__sobriety_date: the dates with a milestone between start and end.

    One range per milestone, a little wide for month milestones (a 31st reaches the month's
    last day), so milestones_for_residents still decides exactly; the database returns only
    these alumni, not every alumnus the centre ever had.
    """
    q = Q()
    for _key, days, months in MILESTONES:
        if days:
            low, high = start - dt.timedelta(days=days), end - dt.timedelta(days=days)
        else:
            low = add_months(start, -months)
            high = add_months(end, -months) + dt.timedelta(days=3)
        q |= Q(resident__sobriety_date__range=(low, high))
    return q


def milestones_between(start, end, centre_ids=None):
    """Alumni milestones between start and end (inclusive); for pages and the reminder tick."""
    profiles = AlumniProfile.objects.select_related("resident").filter(
        sobriety_dates_reaching(start, end)
    )
    if centre_ids is not None:
        profiles = profiles.filter(centre_id__in=centre_ids)
    residents = []
    for profile in profiles:
        profile.resident._profile = profile
        residents.append(profile.resident)
    return milestones_for_residents(residents, start, end)


def month_bounds(today=None):
    today = today or timezone.localdate()
    first = today.replace(day=1)
    last = add_months(first, 1) - dt.timedelta(days=1)
    return first, last


def milestones_this_month(centre_ids=None, today=None):
    first, last = month_bounds(today)
    return milestones_between(first, last, centre_ids)
