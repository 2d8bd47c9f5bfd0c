"""When a reminder plan falls due next: cadence, local time, quiet hours, pauses.

Pure functions over a plan and its resident, so they are easy to test with time-machine.
Times are computed in the installation's time zone (Asia/Kolkata by default).
"""

import calendar
import datetime as dt

from django.utils import timezone

from .models import CIRCLE_ONLY, Cadence, CheckinDefaults


def _add_month(day):
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def effective_cadence(plan, day, defaults=None):
    """The cadence on `day`, or None when the person is no longer asked."""
    resident = plan.resident
    if plan.channel == CIRCLE_ONLY:
        return None  # asked in the morning circle, never by message
    if plan.cadence != Cadence.AUTO:
        return plan.cadence
    if resident.is_admitted or not resident.discharge_date:
        return Cadence.DAILY
    defaults = defaults or CheckinDefaults.for_centre(plan.centre_id)
    since = (day - resident.discharge_date).days
    if since < defaults.alumni_weekly_weeks * 7:
        return Cadence.WEEKLY
    if since <= defaults.alumni_until_days:
        return Cadence.MONTHLY
    return None


def in_quiet_hours(plan, moment):
    """Is local `moment` inside the plan's quiet hours (which may wrap midnight)?"""
    start, end = plan.quiet_start, plan.quiet_end
    if start is None or end is None or start == end:
        return False
    t = timezone.localtime(moment).time()
    if start < end:
        return start <= t < end
    return t >= start or t < end


def end_of_quiet(plan, moment):
    """The first moment at or after `moment` outside quiet hours."""
    if not in_quiet_hours(plan, moment):
        return moment
    local = timezone.localtime(moment)
    ends = plan.quiet_end.replace(second=0, microsecond=0)  # to the minute, on either day
    end = timezone.make_aware(dt.datetime.combine(local.date(), ends))
    if end <= local:  # quiet hours that wrap midnight end tomorrow
        end = timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), ends))
    return end


def _at(day, time):
    return timezone.make_aware(dt.datetime.combine(day, time))


def next_due(plan, after, defaults=None):
    """The next reminder strictly after `after` (aware), or None when there is none."""
    local_after = timezone.localtime(after)
    day = local_after.date()
    anchor = timezone.localtime(plan.last_due_at).date() if plan.last_due_at else None
    cadence = effective_cadence(plan, day, defaults)
    if cadence is None:
        return None
    if cadence == Cadence.DAILY or anchor is None:
        candidate = _at(day, plan.local_time)
        if candidate <= after:
            candidate = _at(day + dt.timedelta(days=1), plan.local_time)
    else:
        step = (lambda d: d + dt.timedelta(days=7)) if cadence == Cadence.WEEKLY else _add_month
        next_day = step(anchor)
        while _at(next_day, plan.local_time) <= after:
            next_day = step(next_day)
        candidate = _at(next_day, plan.local_time)
    if effective_cadence(plan, timezone.localtime(candidate).date(), defaults) is None:
        return None
    return end_of_quiet(plan, candidate)
