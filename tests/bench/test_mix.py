"""The load's people: every virtual user a different person, and the mixed run's journeys
work on a seeded dataset (each step answers what the journey expects). No timings."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bench import seed as seeding
from bench.browser import first_note, form_of
from bench.mix import ANSWER, JOURNEYS, class_name, people_needed, steps
from bench.seed_people import STAFF
from bench.targets import PER_CENTRE, accounts, mix_users
from checkins.models import CheckIn
from groups.models import Attendance


def test_sixteen_users_of_a_role_are_sixteen_people_of_few_centres():
    people = accounts("counselor", 16, centres=50)
    assert len({login for login, _c, _k in people}) == 16
    assert {c for _l, c, _k in people} == set(range(1, 7))  # three counselors a centre
    assert people[0] == ("c1-counselor-1", 1, 0)
    coordinators = accounts("alumni_coordinator", 16, centres=50)
    assert len({login for login, _c, _k in coordinators}) == 16


def test_the_accounts_named_are_those_the_seed_makes():
    staff = {role.value: n for role, n in STAFF}
    assert staff == {k: n for k, n in PER_CENTRE.items() if k != "family"}
    assert seeding.TINY["residents"] // seeding.TINY["centres"] // 5 >= PER_CENTRE["family"]


def test_the_morning_has_every_role_and_writes_among_the_reads():
    assert set(JOURNEYS) == {
        "counselor",
        "resident",
        "family",
        "peer_leader",
        "mentor",
        "alumni_coordinator",
    }
    kinds = {kind for _w, journey in JOURNEYS.values() for *_s, kind, _e in journey}
    assert {"save", "answer"} <= kinds
    assert all(weight > 0 for weight, _steps in JOURNEYS.values())
    # Enough people of every role for the users locust gives it.
    needed = people_needed(16)
    total = sum(w for w, _s in JOURNEYS.values())
    assert all(needed[r] >= 16 * w / total for r, (w, _s) in JOURNEYS.items())
    assert class_name("peer_leader") == "PeerLeaderUser"


def run_step(client, name, method, path, kind, expect):
    data = None
    if kind == "answer":
        data = ANSWER
    elif kind == "save":
        data = form_of(client.get(path, secure=True).content.decode(), path)
        data[first_note(data)] = f"Mix test note for {path}"
    response = client.generic(method, path, secure=True) if data is None else None
    if data is not None:
        response = client.post(path, data, secure=True)
    assert response.status_code == expect, (name, path, response.status_code)


@pytest.mark.django_db
def test_every_journey_runs_on_the_tiny_dataset_as_different_people():
    seeding.seed(7, seeding.TINY, quiet=True)
    people = mix_users(people_needed(16))
    logins = [p["login"] for persons in people.values() for p in persons if p["login"]]
    assert len(logins) == len(set(logins))  # nobody twice, across roles too
    users = get_user_model().objects
    assert users.filter(username__in=logins).count() == len(logins)
    assert len({p["checkin_link"] for p in people["resident"]}) == len(people["resident"])
    notes, checkins = Attendance.objects.exclude(note="").count(), CheckIn.objects.count()
    for role, persons in people.items():
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        person = persons[0]
        if person["login"]:
            client.force_login(users.get(username=person["login"]))
        for step in steps(role, person):
            run_step(client, *step)
    # The writes wrote: a mark's note saved, a check-in answered.
    assert Attendance.objects.exclude(note="").count() > notes
    assert CheckIn.objects.count() == checkins + 1


@pytest.mark.django_db
def test_the_session_log_pages_use_a_session_that_has_begun():
    """After 18:30 UTC it is already tomorrow in India and no session of the day has begun:
    the log's POST would be refused (400), so the bench takes the last begun one."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from bench.targets import Centres
    from tests.groups.factories import PeerGroupFactory, SessionFactory

    india = ZoneInfo("Asia/Kolkata")
    group = PeerGroupFactory()
    yesterday = SessionFactory(group=group, start=dt.datetime(2026, 3, 10, 10, tzinfo=india))
    today = SessionFactory(group=group, start=dt.datetime(2026, 3, 11, 10, tzinfo=india))
    with time_machine.travel(dt.datetime(2026, 3, 11, 1, 30, tzinfo=india), tick=False):
        assert Centres().today_session(group.centre_id) == yesterday
    with time_machine.travel(dt.datetime(2026, 3, 11, 11, 30, tzinfo=india), tick=False):
        assert Centres().today_session(group.centre_id) == today
