"""The monthly report page, its CSV, and the home and resident panels this app adds."""

import datetime as dt
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile, FollowUp
from checkins.models import Alert, CheckIn
from families.models import FamilyMember
from groups.models import Attendance, Kind, Session
from kendra.models import Consent, Resident
from mentors.models import MentorProfile, Pairing
from tests.factories import ResidentFactory
from tests.groups.factories import PeerGroupFactory

URL = reverse("reports:monthly")
CSV = reverse("reports:monthly_csv")


_calls = itertools.count()


def populate(centre, n):
    """n residents with check-ins, sessions, attendance, alerts, pairings and follow-ups."""
    call = next(_calls)
    now = timezone.now() - dt.timedelta(minutes=call)
    today = timezone.localdate()
    group = PeerGroupFactory(centre=centre, kind=Kind.THERAPY)
    sessions = [
        Session.objects.create(
            group=group,
            centre=centre,
            start=now - dt.timedelta(days=d, hours=1),
            end=now - dt.timedelta(days=d),
            status=Session.Status.HELD,
        )
        for d in (20, 10, 3)
    ]
    mentor = MentorProfile.objects.create(
        centre=centre,
        capacity=10,
        resident=ResidentFactory(
            centre=centre,
            admission_date=today - dt.timedelta(days=300),
            status=Resident.Status.DISCHARGED,
            discharge_date=today - dt.timedelta(days=100),
            discharge_reason="completed",
        ),
    )
    profile = AlumniProfile.objects.create(resident=mentor.resident, centre=centre)
    for i in range(n):
        r = ResidentFactory(centre=centre, admission_date=today - dt.timedelta(days=40 + i))
        for s in sessions:
            Attendance.objects.create(
                session=s, resident=r, status="absent" if i % 2 else "present"
            )
        CheckIn.objects.create(
            resident=r,
            mood=1 + i % 5,
            craving=i % 10,
            source="circle",
            at=now - dt.timedelta(days=i % 30),
        )
        Alert.objects.create(
            resident=r,
            centre=centre,
            rule="low_mood",
            reason="-",
            dedupe_key=f"{centre.pk}-{call}-{i}",
            raised_at=now - dt.timedelta(days=i),
        )
        Pairing.objects.create(centre=centre, mentor=mentor, mentee=r)
        FollowUp.objects.create(
            profile=profile,
            centre=centre,
            discharge_date=today,
            months=i + 1,
            due_on=today - dt.timedelta(days=i * 3),
            outcome="reached_sober" if i % 3 else "",
        )
    return sessions


def queries(client, url):
    """Queries of one request with every cache cold: the page computed from the database
    (a warm cache would hide a query that grows with the data)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


# --- access ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["centre_admin", "counselor"])
def test_it_shows_the_report_to_the_centre_admin_and_counselors(request, as_user, centre, who):
    response = as_user(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 200
    assert centre.name in response.content.decode()


def test_it_refuses_the_report_to_a_peer_leader(as_user, peer_leader):
    assert as_user(peer_leader).get(URL).status_code == 403
    assert as_user(peer_leader).get(CSV).status_code == 403


def test_it_hides_another_centres_report_from_an_outsider(as_user, outsider, centre):
    assert as_user(outsider).get(URL, {"centre": centre.pk}).status_code == 404
    assert as_user(outsider).get(CSV, {"centre": centre.pk}).status_code == 404
    assert as_user(outsider).get(URL, {"centre": "x"}).status_code == 404


def test_it_hides_the_report_from_a_family_member(as_user, family_user, centre):
    assert as_user(family_user).get(URL).status_code == 404
    assert as_user(family_user).get(URL, {"centre": centre.pk}).status_code == 404


def test_it_asks_anonymous_visitors_to_sign_in(client):
    assert client.get(URL).status_code == 302


# --- the page ---------------------------------------------------------------------------


def test_it_defaults_to_the_last_full_month_and_takes_a_chosen_range(as_user, counselor):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC), tick=False):
        page = as_user(counselor).get(URL).content.decode()
        assert 'value="2026-10-01"' in page and 'value="2026-10-31"' in page
        page = as_user(counselor).get(URL, {"start": "2026-09-01", "end": "2026-09-30"})
        assert 'value="2026-09-01"' in page.content.decode()


def test_it_explains_a_range_that_ends_before_it_starts(as_user, counselor):
    page = as_user(counselor).get(URL, {"start": "2026-10-10", "end": "2026-10-01"})
    assert page.status_code == 200
    assert "The end date is before the start date." in page.content.decode()


def test_it_downloads_the_report_as_csv(as_user, centre_admin, centre):
    populate(centre, 3)
    today = timezone.localdate()
    response = as_user(centre_admin).get(
        CSV, {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Group sessions held" in text and "Follow-ups" in text and centre.name in text


def test_it_shows_charts_with_their_numbers_in_a_table(as_user, centre_admin, centre):
    populate(centre, 4)
    page = as_user(centre_admin).get(URL, {"start": "2000-01-01", "end": "2000-12-31"})
    html = page.content.decode()
    assert 'data-chart="chart-mentor-load"' in html  # mentor load is today's, never empty
    assert "<details" in html and "Show the numbers" in html
    assert html.count("Nothing to show yet for this period.") == 2  # attendance, follow-ups
    assert "<script>" not in html  # only JSON data blocks and script files (CSP)


@pytest.mark.parametrize("who", ["centre_admin", "counselor"])
def test_it_renders_the_report_in_the_same_number_of_queries_at_two_sizes(
    request, as_user, centre, who
):
    client = as_user(request.getfixturevalue(who))
    today = timezone.localdate()
    params = f"?start={today - dt.timedelta(days=60)}&end={today}"
    populate(centre, 3)
    small = queries(client, URL + params)
    populate(centre, 15)
    assert queries(client, URL + params) == small <= 30


# --- home panels ------------------------------------------------------------------------


def test_it_lists_residents_absent_from_their_last_two_sessions(as_user, counselor, centre):
    sessions = populate(centre, 0)
    twice = ResidentFactory(centre=centre, full_name="Twice Absent")
    once = ResidentFactory(centre=centre, full_name="Once Absent")
    back = ResidentFactory(centre=centre, full_name="Came Back")
    marks = {
        twice: ["present", "absent", "absent"],
        once: ["absent", "present", "absent"],
        back: ["absent", "absent", "present"],
    }
    for person, statuses in marks.items():
        for s, status in zip(sessions, statuses, strict=True):
            Attendance.objects.create(session=s, resident=person, status=status)
    html = as_user(counselor).get("/").content.decode()
    assert "Absent from their last two sessions" in html
    html = html.split('id="absent-heading"')[1].split("</section>")[0]
    assert "Twice Absent" in html
    assert "Once Absent" not in html and "Came Back" not in html


def test_it_shows_the_centre_admin_five_numbers_with_their_trends(as_user, centre_admin, centre):
    populate(centre, 5)
    html = as_user(centre_admin).get("/").content.decode()
    for title in (
        "Residents on the roll",
        "Attendance rate",
        "Check-in response rate",
        "Follow-up reach rate",
        "Open alerts",
    ):
        assert title in html
    assert 'data-chart="trend-occupancy"' in html
    assert reverse("checkins:alerts") in html


def test_it_shows_no_admin_numbers_to_a_counselor(as_user, counselor, centre):
    assert "trend-occupancy" not in as_user(counselor).get("/").content.decode()


def _family(centre, family_user):
    r = ResidentFactory(centre=centre)
    FamilyMember.objects.create(user=family_user, resident=r, relationship="parent")
    Consent.objects.create(resident=r, purpose=Consent.Purpose.FAMILY_SCHEDULE, grantee=family_user)


HOME_ROLES = [
    "counselor",
    "peer_leader",
    "coordinator",
    "centre_admin",
    "mentor_user",
    "family_user",
]


@pytest.mark.parametrize("who", HOME_ROLES)
def test_every_home_page_renders_in_the_same_number_of_queries_at_two_sizes(
    request, as_user, centre, who
):
    user = request.getfixturevalue(who)
    if who == "family_user":
        _family(centre, user)
    client = as_user(user)
    populate(centre, 3)
    small = queries(client, "/")
    populate(centre, 15)
    assert queries(client, "/") == small <= 40


# --- resident page ----------------------------------------------------------------------


def test_it_charts_a_residents_mood_and_craving(as_user, counselor, resident):
    for day, (mood, craving) in enumerate([(2, 8), (3, 5), (4, 2)]):
        CheckIn.objects.create(
            resident=resident,
            mood=mood,
            craving=craving,
            source="circle",
            at=timezone.now() - dt.timedelta(days=10 - day),
        )
    html = as_user(counselor).get(resident.get_absolute_url()).content.decode()
    assert 'data-chart="resident-mood"' in html
    assert "Mood (1–5)" in html and "Craving (0–10)" in html


def test_it_says_plainly_when_a_resident_has_no_check_ins(as_user, counselor, resident):
    html = as_user(counselor).get(resident.get_absolute_url()).content.decode()
    assert "No check-ins in the last 90 days." in html
    assert "resident-mood" not in html


def test_it_keeps_the_mood_chart_to_one_query_whatever_the_history(
    as_user, counselor, resident, centre
):
    client = as_user(counselor)
    url = resident.get_absolute_url()
    CheckIn.objects.create(resident=resident, mood=3, source="circle")
    small = queries(client, url)
    CheckIn.objects.bulk_create(
        CheckIn(
            resident=resident, mood=3, source="circle", at=timezone.now() - dt.timedelta(days=d)
        )
        for d in range(60)
    )
    assert queries(client, url) == small


def test_it_charts_one_point_per_day_however_often_a_resident_checks_in(
    as_user, counselor, resident
):
    at = timezone.now() - dt.timedelta(days=5)
    for mood, craving in [(2, 8), (4, 6), (3, 7)] * 20:
        CheckIn.objects.create(
            resident=resident, mood=mood, craving=craving, source="circle", at=at
        )
    response = as_user(counselor).get(resident.get_absolute_url())
    chart = next(
        ctx for tpl, ctx in response.context["panels"] if tpl == "reports/_resident_mood.html"
    )["chart"]
    assert len(chart["data"]["labels"]) == 1
    assert [d["data"] for d in chart["data"]["datasets"]] == [[3.0], [7.0]]


def test_it_leaves_absences_older_than_four_weeks_off_the_home_page(as_user, counselor, centre):
    group = PeerGroupFactory(centre=centre, kind=Kind.THERAPY)
    now = timezone.now()
    person = ResidentFactory(centre=centre, full_name="Long Ago Absent")
    for weeks in (6, 7):
        s = Session.objects.create(
            group=group,
            centre=centre,
            start=now - dt.timedelta(weeks=weeks, hours=1),
            end=now - dt.timedelta(weeks=weeks),
            status=Session.Status.HELD,
        )
        Attendance.objects.create(session=s, resident=person, status="absent")
    html = as_user(counselor).get("/").content.decode()
    html = html.split('id="absent-heading"')[1].split("</section>")[0]
    assert "Long Ago Absent" not in html
    assert "No one has missed two sessions in a row." in html
