"""Sessions generated ahead from each group's schedule, in Asia/Kolkata local time."""

import datetime as dt
import zoneinfo

import time_machine
from django.urls import reverse
from django.utils import timezone

from groups import actions, tasks
from groups.models import Session
from kendra.celery import app

from .factories import PeerGroupFactory

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
MONDAY = dt.date(2026, 3, 2)


def local(session):
    return session.start.astimezone(IST)


def test_it_plans_a_week_of_weekday_sessions_at_local_time(centre):
    group = PeerGroupFactory(centre=centre, weekdays=[0, 2, 4], start_time=dt.time(7, 0))
    assert actions.generate_sessions(today=MONDAY, days=7) == 3
    sessions = list(Session.objects.order_by("start"))
    assert [local(s).date() for s in sessions] == [
        MONDAY,
        MONDAY + dt.timedelta(days=2),
        MONDAY + dt.timedelta(days=4),
    ]
    assert all(local(s).time() == dt.time(7, 0) for s in sessions)
    # 07:00 in India is 01:30 UTC: Kolkata keeps +05:30 all year, no daylight saving.
    assert all(s.start.astimezone(dt.UTC).time() == dt.time(1, 30) for s in sessions)
    assert all(s.end - s.start == dt.timedelta(minutes=60) for s in sessions)
    assert all(s.group == group and s.status == Session.Status.PLANNED for s in sessions)


def test_it_keeps_late_evening_sessions_on_their_local_day(centre):
    PeerGroupFactory(centre=centre, frequency="daily", start_time=dt.time(23, 30))
    actions.generate_sessions(today=MONDAY, days=7)
    days = [local(s).date() for s in Session.objects.order_by("start")]
    assert days == [MONDAY + dt.timedelta(days=n) for n in range(7)]
    # In UTC they fall on the same calendar day at 18:00.
    assert {s.start.astimezone(dt.UTC).time() for s in Session.objects.all()} == {dt.time(18, 0)}


def test_it_never_duplicates_when_run_twice(centre):
    PeerGroupFactory(centre=centre, frequency="daily", start_time=dt.time(9, 0))
    assert actions.generate_sessions(today=MONDAY) == 14
    assert actions.generate_sessions(today=MONDAY) == 0
    assert Session.objects.count() == 14


def test_it_does_not_bring_back_a_cancelled_session(centre):
    PeerGroupFactory(centre=centre, frequency="daily", start_time=dt.time(9, 0))
    actions.generate_sessions(today=MONDAY, days=7)
    cancelled = Session.objects.order_by("start")[2]
    actions.cancel_session(cancelled, "Holi holiday", by=None)
    assert actions.generate_sessions(today=MONDAY, days=7) == 0
    cancelled.refresh_from_db()
    assert cancelled.status == Session.Status.CANCELLED
    assert Session.objects.filter(status="planned").count() == 6


def test_it_skips_archived_groups_and_groups_without_a_schedule(centre):
    PeerGroupFactory(centre=centre, frequency="daily", is_archived=True)
    PeerGroupFactory(centre=centre, frequency="none")
    assert actions.generate_sessions(today=MONDAY) == 0


@time_machine.travel(dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC), tick=False)
def test_the_task_starts_from_todays_date_in_india(centre):
    # 20:00 UTC on 1 March is 01:30 on 2 March in India: "today" is the 2nd.
    PeerGroupFactory(centre=centre, frequency="daily", start_time=dt.time(6, 0))
    tasks.generate_sessions()
    first = Session.objects.order_by("start").first()
    assert local(first).date() == MONDAY
    assert Session.objects.count() == 14


def test_it_runs_daily_from_celery_beat():
    entry = app.conf.beat_schedule["groups-generate-sessions"]
    assert entry["task"] == "groups.tasks.generate_sessions"
    assert entry["task"] in app.tasks


def test_the_on_demand_button_plans_the_next_two_weeks(as_user, counselor, group):
    response = as_user(counselor).post(reverse("groups:generate", args=[group.pk]), follow=True)
    assert group.sessions.count() == 6  # Mon, Wed, Fri for two weeks
    assert "6 new sessions planned" in response.text
    assert all(s.local_date >= timezone.localdate() for s in group.sessions.all())
