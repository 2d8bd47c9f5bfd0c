import datetime as dt

from checkins import schedule
from checkins.models import ReminderPlan
from kendra.models import Resident

from .conftest import at


def plan_for(centre, resident, **kwargs):
    kwargs.setdefault("local_time", dt.time(9, 0))
    return ReminderPlan(resident=resident, centre=centre, **kwargs)


def alumnus(resident, discharged):
    resident.status = Resident.Status.DISCHARGED
    resident.discharge_date = discharged
    return resident


def test_a_resident_is_asked_every_day_at_their_time(centre, resident):
    plan = plan_for(centre, resident)
    assert schedule.next_due(plan, at("2026-11-22 08:59")) == at("2026-11-22 09:00")
    assert schedule.next_due(plan, at("2026-11-22 09:00")) == at("2026-11-23 09:00")


def test_an_alumnus_is_asked_weekly_for_12_weeks_then_monthly_then_not_after_a_year(
    centre, resident
):
    plan = plan_for(centre, alumnus(resident, dt.date(2026, 1, 1)))
    plan.last_due_at = at("2026-03-01 09:00")
    assert schedule.next_due(plan, at("2026-03-01 09:00")) == at("2026-03-08 09:00")
    plan.last_due_at = at("2026-03-29 09:00")  # day 87: weekly ends after day 84
    assert schedule.next_due(plan, at("2026-03-29 09:00")) == at("2026-04-29 09:00")
    plan.last_due_at = at("2026-12-20 09:00")  # past a year: no more reminders
    assert schedule.next_due(plan, at("2027-01-02 09:00")) is None


def test_a_chosen_cadence_overrides_the_centre_default(centre, resident):
    plan = plan_for(centre, alumnus(resident, dt.date(2026, 1, 1)), cadence="daily")
    assert schedule.next_due(plan, at("2026-12-30 10:00")) == at("2026-12-31 09:00")


def test_quiet_hours_that_wrap_midnight_push_a_reminder_to_the_morning(centre, resident):
    plan = plan_for(
        centre,
        resident,
        local_time=dt.time(23, 0),
        quiet_start=dt.time(22, 0),
        quiet_end=dt.time(7, 0),
    )
    assert schedule.in_quiet_hours(plan, at("2026-11-22 06:59"))
    assert not schedule.in_quiet_hours(plan, at("2026-11-22 07:00"))
    assert not schedule.in_quiet_hours(plan, at("2026-11-22 21:59"))
    assert schedule.next_due(plan, at("2026-11-22 12:00")) == at("2026-11-23 07:00")


def test_quiet_hours_end_at_the_same_minute_whether_they_wrap_midnight_or_not(centre, resident):
    # A time with seconds (as a form or the clock may give) ends the quiet hours at its
    # minute on either side of midnight: found by a run at 22:02 IST.
    wraps = plan_for(
        centre, resident, quiet_start=dt.time(22, 2, 47, 1), quiet_end=dt.time(0, 2, 43, 438070)
    )
    assert schedule.end_of_quiet(wraps, at("2026-11-22 22:03")) == at("2026-11-23 00:02")
    assert schedule.end_of_quiet(wraps, at("2026-11-23 00:01")) == at("2026-11-23 00:02")
    same_day = plan_for(
        centre, resident, quiet_start=dt.time(13, 0), quiet_end=dt.time(14, 30, 59, 999)
    )
    assert schedule.end_of_quiet(same_day, at("2026-11-22 13:10")) == at("2026-11-22 14:30")
