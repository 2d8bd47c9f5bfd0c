"""Schedules that move: editing a group's schedule re-plans its future sessions nobody
has logged (moved, added or cancelled with a reason, never twice on the calendar); logged
sessions stay; the form shows the change before saving; a one-off move moves one."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from groups import actions, replan
from groups.models import Session

from .factories import PeerGroupFactory

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
MONDAY = dt.date(2026, 3, 2)
THURSDAY, FRIDAY = 3, 4


@pytest.fixture
def monday_morning():
    with time_machine.travel(dt.datetime(2026, 3, 2, 6, 0, tzinfo=IST), tick=False):
        yield


@pytest.fixture
def thursday_group(centre, counselor, monday_morning):
    group = PeerGroupFactory(
        centre=centre, facilitator=counselor, weekdays=[THURSDAY], start_time=dt.time(11, 0)
    )
    actions.generate_sessions(group, today=MONDAY)
    return group


def form_data(group, **changes):
    data = {
        "name": group.name,
        "kind": group.kind,
        "format": group.format,
        "audience": group.audience,
        "capacity": group.capacity,
        "facilitator": group.facilitator_id or "",
        "co_leader": group.co_leader_id or "",
        "frequency": group.frequency,
        "weekdays": group.weekdays,
        "start_time": f"{group.start_time:%H:%M}",
        "duration_minutes": group.duration_minutes,
        "room": group.room,
        "meeting_link": group.meeting_link,
    }
    data.update(changes)
    return data


def days(group, status=Session.Status.PLANNED):
    sessions = group.sessions.filter(status=status).order_by("start")
    return [timezone.localtime(s.start, IST).strftime("%a %d %H:%M") for s in sessions]


def test_thursday_to_friday_moves_the_sessions_and_leaves_no_thursday(thursday_group, counselor):
    assert days(thursday_group) == ["Thu 05 11:00", "Thu 12 11:00"]
    thursday_group.weekdays = [FRIDAY]
    change = replan.plan(thursday_group)
    assert (len(change.moves), len(change.adds), len(change.cancels)) == (2, 0, 0)
    thursday_group.save()
    replan.apply(thursday_group, counselor)
    assert days(thursday_group) == ["Fri 06 11:00", "Fri 13 11:00"]
    assert thursday_group.sessions.count() == 2  # moved, not made again
    moved = thursday_group.sessions.first()
    assert timezone.localtime(moved.moved_from, IST).strftime("%a") == "Thu"
    assert moved.history.first().history_user == counselor
    # The nightly planning does not bring Thursday back.
    assert actions.generate_sessions(thursday_group, today=MONDAY) == 0


def test_fewer_days_cancel_with_a_reason_and_more_days_add(thursday_group, counselor):
    thursday_group.weekdays = [0, 2, THURSDAY]  # Mon (today, 11:00 is to come), Wed, Thu
    thursday_group.save()
    done = replan.apply(thursday_group, counselor)
    assert (len(done.moves), len(done.adds)) == (0, 4)
    assert len(days(thursday_group)) == 6
    thursday_group.weekdays = [THURSDAY]
    thursday_group.ends_on = MONDAY + dt.timedelta(days=5)  # ends this week
    thursday_group.save()
    done = replan.apply(thursday_group, counselor)
    assert len(done.cancels) == 5
    assert days(thursday_group) == ["Thu 05 11:00"]
    reasons = set(
        thursday_group.sessions.filter(status="cancelled").values_list("cancel_reason", flat=True)
    )
    assert reasons == {"The group's schedule changed."}


def test_a_logged_session_is_never_touched(thursday_group, counselor):
    logged = thursday_group.sessions.first()
    logged.status, logged.logged_at, logged.logged_by = "held", timezone.now(), counselor
    logged.save()
    thursday_group.weekdays = [FRIDAY]
    change = replan.plan(thursday_group)
    assert change.kept == [logged]
    assert "moves 1 session" in change.summary().lower()
    assert "1 already logged stays" in change.summary()
    thursday_group.save()
    replan.apply(thursday_group, counselor)
    logged.refresh_from_db()
    assert timezone.localtime(logged.start, IST).strftime("%a") == "Thu"
    assert logged.status == "held"


def test_a_time_change_moves_sessions_and_keeps_their_ids(thursday_group, counselor):
    before = list(thursday_group.sessions.values_list("pk", flat=True))
    thursday_group.start_time, thursday_group.duration_minutes = dt.time(15, 30), 90
    thursday_group.save()
    replan.apply(thursday_group, counselor)
    after = list(thursday_group.sessions.order_by("start").values_list("pk", "start", "end"))
    assert [pk for pk, *_ in after] == before
    assert all(timezone.localtime(s, IST).time() == dt.time(15, 30) for _pk, s, _e in after)
    assert all(e - s == dt.timedelta(minutes=90) for _pk, s, e in after)


def test_the_form_shows_the_change_and_saves_only_when_confirmed(
    as_user, counselor, thursday_group
):
    client = as_user(counselor)
    url = reverse("groups:edit", args=[thursday_group.pk])
    page = client.post(url, form_data(thursday_group, weekdays=[FRIDAY]))
    assert page.status_code == 200
    assert "Moves 2 sessions." in page.text
    assert days(thursday_group) == ["Thu 05 11:00", "Thu 12 11:00"]  # nothing saved yet
    thursday_group.refresh_from_db()
    assert thursday_group.weekdays == [THURSDAY]
    response = client.post(url, {**form_data(thursday_group, weekdays=[FRIDAY]), "confirm": "1"})
    assert response.status_code == 302
    assert days(thursday_group) == ["Fri 06 11:00", "Fri 13 11:00"]


def test_an_end_date_before_the_start_is_refused(as_user, counselor, thursday_group):
    url = reverse("groups:edit", args=[thursday_group.pk])
    data = form_data(thursday_group, starts_on="2026-03-10", ends_on="2026-03-05", confirm="1")
    page = as_user(counselor).post(url, data)
    assert "The last day must be on or after the first day." in page.text
    thursday_group.refresh_from_db()
    assert thursday_group.ends_on is None
    assert len(days(thursday_group)) == 2


def test_a_link_that_is_not_a_web_address_is_refused(as_user, counselor, thursday_group):
    url = reverse("groups:edit", args=[thursday_group.pk])
    for link in ("ftp://files.example.org/x", "javascript:alert(1)"):
        page = as_user(counselor).post(url, form_data(thursday_group, meeting_link=link))
        assert "The online link must start with https:// or http://" in page.text
    thursday_group.refresh_from_db()
    assert thursday_group.meeting_link == ""


def test_a_one_off_move_moves_only_that_session(as_user, counselor, thursday_group):
    first, second = thursday_group.sessions.order_by("start")
    url = reverse("groups:session_move", args=[first.pk])
    data = {"date": "2026-03-06", "start_time": "11:00", "end_time": "12:00", "reason": "Holi"}
    assert as_user(counselor).post(url, data).status_code == 302
    first.refresh_from_db()
    assert timezone.localtime(first.start, IST).strftime("%a %d") == "Fri 06"
    assert first.move_reason == "Holi" and not first.generated
    assert days(thursday_group) == ["Fri 06 11:00", "Thu 12 11:00"]
    assert actions.generate_sessions(thursday_group, today=MONDAY) == 0
    # A later schedule edit leaves the one-off move alone and does not refill Thursday 5th.
    thursday_group.start_time = dt.time(12, 0)
    assert len(replan.plan(thursday_group).moves) == 1


def test_a_logged_session_cannot_move(as_user, counselor, thursday_group):
    first = thursday_group.sessions.order_by("start").first()
    first.status, first.logged_at = "held", timezone.now()
    first.save()
    url = reverse("groups:session_move", args=[first.pk])
    data = {"date": "2026-03-06", "start_time": "11:00", "end_time": "12:00", "reason": "Holi"}
    page = as_user(counselor).post(url, data)
    assert page.status_code == 400
    assert "This session was logged or cancelled, so it cannot move." in page.text
    first.refresh_from_db()
    assert first.moved_from is None


def test_the_groups_page_shows_the_moved_sessions(as_user, counselor, thursday_group):
    thursday_group.weekdays = [FRIDAY]
    thursday_group.save()
    replan.apply(thursday_group, counselor)
    page = as_user(counselor).get(reverse("groups:detail", args=[thursday_group.pk])).text
    assert page.count(">Moved</span>") == 2
