"""Visiting days: staff keep the visiting hours; a family member sees the coming visiting
days of their resident while the consent is in force, on the schedule and in the feed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from families import actions
from families.models import VisitingHours
from kendra.models import AuditEvent, Consent

from .conftest import make_meeting

SCHEDULE = reverse("families:schedule")
# Monday 13 April 2026, 9 in the morning in India.
MONDAY = dt.datetime(2026, 4, 13, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


@pytest.fixture
def hours(centre):
    return [
        VisitingHours.objects.create(
            centre=centre,
            weekday=6,
            start_time=dt.time(10),
            end_time=dt.time(13),
            note="Bring an ID card",
        ),
        VisitingHours.objects.create(
            centre=centre, weekday=2, start_time=dt.time(16), end_time=dt.time(18)
        ),
    ]


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def feed_events(client, user):
    url = reverse("families:feed", args=[actions.new_calendar_link(user)])
    response = client.get(url)
    return response, [e for e in Calendar.from_ical(response.content).walk("VEVENT")]


def test_it_lists_the_visiting_days_of_the_next_two_weeks_in_words(
    frozen, as_user, family_user, family, hours
):
    page = as_user(family_user).get(SCHEDULE).text
    assert "Visiting days" in page
    for day in ["Wednesday, 15 April 2026", "Sunday, 19 April 2026", "Wednesday, 22 April 2026"]:
        assert day in page
    assert "Sunday, 26 April 2026" in page  # the 14th day
    assert "Wednesday, 29 April 2026" not in page  # beyond two weeks
    assert "10:00 a.m. – 1:00 p.m." in page or "10:00 am – 1:00 pm" in page
    assert "4:00 p.m." in page or "4:00 pm" in page
    assert "Bring an ID card" in page
    assert page.count('class="list-group-item visit"') == 4


def test_it_skips_the_days_the_centre_is_closed_to_visitors(
    frozen, as_user, family_user, family, hours, centre
):
    centre.closed_weekdays = [2]
    centre.save()
    page = as_user(family_user).get(SCHEDULE).text
    assert "Wednesday, 15 April 2026" not in page
    assert "Sunday, 19 April 2026" in page


def test_it_leaves_out_inactive_hours_and_other_centres(
    frozen, as_user, family_user, family, hours, other_centre
):
    actions.set_visiting_hours_active(hours[1], False, None)
    VisitingHours.objects.create(
        centre=other_centre, weekday=0, start_time=dt.time(9), end_time=dt.time(11)
    )
    page = as_user(family_user).get(SCHEDULE).text
    assert "Wednesday, 15 April 2026" not in page
    assert "Monday, 20 April 2026" not in page
    assert "Sunday, 19 April 2026" in page


def test_it_hides_the_visiting_days_once_the_consent_is_withdrawn(
    frozen, as_user, client, family_user, family, hours, counselor
):
    browser = as_user(family_user)
    assert "Sunday, 19 April 2026" in browser.get(SCHEDULE).text
    response, found = feed_events(client, family_user)
    assert len(found) == 4
    Consent.objects.get(grantee=family_user).withdraw(counselor)
    page = browser.get(SCHEDULE).text
    assert "Sunday, 19 April 2026" not in page and "Visiting days" not in page
    assert client.get(response.request["PATH_INFO"]).status_code == 404  # the feed too


def test_it_hides_the_visiting_days_after_discharge(
    frozen, as_user, family_user, family, hours, resident
):
    resident.status = "discharged"
    resident.discharge_date = MONDAY.date()
    resident.save()
    assert "Sunday, 19 April 2026" not in as_user(family_user).get(SCHEDULE).text


def test_it_puts_visiting_days_in_the_feed_with_stable_uids_and_no_health_data(
    frozen, client, family_user, family, hours, resident, centre
):
    make_meeting(group=family, topic="Cravings")
    _, found = feed_events(client, family_user)
    visits = [e for e in found if str(e["uid"]).startswith("visiting-")]
    assert len(visits) == 4
    first = visits[0] if visits[0].decoded("dtstart").day == 15 else visits[1]
    assert str(first["uid"]) == f"visiting-{centre.pk}-20260415-{hours[1].pk}@kendra"
    assert first.decoded("dtstart") == dt.datetime(2026, 4, 15, 16, tzinfo=ZoneInfo("Asia/Kolkata"))
    _, again = feed_events(client, family_user)
    assert {str(e["uid"]) for e in again} == {str(e["uid"]) for e in found}
    text = b"".join(e.to_ical() for e in visits).decode()
    assert resident.full_name not in text
    assert "Bring an ID card" in text


def test_it_shows_the_schedule_with_visiting_days_in_bounded_queries(
    frozen, as_user, family_user, family, centre, django_assert_max_num_queries
):
    client = as_user(family_user)
    VisitingHours.objects.create(
        centre=centre, weekday=6, start_time=dt.time(10), end_time=dt.time(13)
    )
    client.get(SCHEDULE)
    with django_assert_max_num_queries(12):
        client.get(SCHEDULE)
    for n in range(20):
        VisitingHours.objects.create(
            centre=centre, weekday=n % 7, start_time=dt.time(8 + n % 8), end_time=dt.time(17)
        )
        make_meeting(group=family, days=n + 1)
    with django_assert_max_num_queries(12):
        client.get(SCHEDULE)


# --- staff pages --------------------------------------------------------------------------

STAFF_PAGES = [
    ("families:visiting_hours", False),
    ("families:visiting_create", False),
    ("families:visiting_edit", True),
    ("families:visiting_status", True),
]


@pytest.mark.parametrize("name,with_pk", STAFF_PAGES)
def test_it_opens_the_visiting_pages_to_counselors_and_centre_admins(
    as_user, counselor, centre_admin, hours, name, with_pk
):
    url = reverse(name, args=[hours[0].pk] if with_pk else [])
    assert as_user(counselor).get(url).status_code == 200
    assert as_user(centre_admin).get(url).status_code == 200


@pytest.mark.parametrize("name,with_pk", STAFF_PAGES)
def test_it_refuses_the_visiting_pages_to_less_rights_and_outsiders(
    as_user, peer_leader, family_user, outsider, family, hours, name, with_pk
):
    url = reverse(name, args=[hours[0].pk] if with_pk else [])
    assert as_user(peer_leader).get(url).status_code == 403
    assert as_user(family_user).get(url).status_code in (403, 404)
    if with_pk:
        assert as_user(outsider).get(url).status_code == 404
        assert as_user(outsider).post(url).status_code == 404


def test_it_links_the_visiting_hours_from_the_family_groups_page(as_user, counselor):
    page = as_user(counselor).get(reverse("families:groups")).text
    assert reverse("families:visiting_hours") in page


def test_it_adds_and_edits_visiting_hours(as_user, counselor, centre):
    client = as_user(counselor)
    response = client.post(
        reverse("families:visiting_create"),
        {
            "centre": centre.pk,
            "weekday": 6,
            "start_time": "10:00",
            "end_time": "13:00",
            "note": "  Bring   an ID card ",
        },
    )
    assert response.status_code == 302
    hours = VisitingHours.objects.get()
    assert hours.note == "Bring an ID card" and hours.is_active and hours.sequence == 0
    client.post(
        reverse("families:visiting_edit", args=[hours.pk]),
        {"weekday": 6, "start_time": "10:30", "end_time": "13:00", "note": ""},
    )
    hours.refresh_from_db()
    assert hours.start_time == dt.time(10, 30) and hours.sequence == 1
    assert AuditEvent.objects.filter(action="visiting_hours.changed").exists()


def test_it_refuses_an_end_before_the_start_and_saves_nothing(as_user, counselor, centre, hours):
    client = as_user(counselor)
    response = client.post(
        reverse("families:visiting_create"),
        {"centre": centre.pk, "weekday": 1, "start_time": "16:00", "end_time": "14:00"},
    )
    assert response.status_code == 200
    assert "Visiting must end after it starts" in response.text
    assert "Nothing was saved" in response.text
    assert VisitingHours.objects.count() == 2
    response = client.post(
        reverse("families:visiting_edit", args=[hours[0].pk]),
        {"weekday": 6, "start_time": "13:00", "end_time": "13:00"},
    )
    assert "Visiting must end after it starts" in response.text
    hours[0].refresh_from_db()
    assert hours[0].end_time == dt.time(13)


def test_it_refuses_a_missing_time_or_an_unknown_day(as_user, counselor, centre):
    response = as_user(counselor).post(
        reverse("families:visiting_create"),
        {"centre": centre.pk, "weekday": 9, "start_time": "soon", "end_time": ""},
    )
    assert response.status_code == 200
    assert "Nothing was saved" in response.text
    assert not VisitingHours.objects.exists()


def test_it_asks_before_deactivating_and_keeps_the_row(as_user, counselor, hours):
    client = as_user(counselor)
    url = reverse("families:visiting_status", args=[hours[0].pk])
    page = client.get(url).text
    assert "Stop showing these visiting hours?" in page
    hours[0].refresh_from_db()
    assert hours[0].is_active  # a GET changes nothing
    assert client.post(url).status_code == 302
    hours[0].refresh_from_db()
    assert not hours[0].is_active and VisitingHours.objects.count() == 2
    assert "Show these visiting hours again?" in client.get(url).text
    client.post(url)
    hours[0].refresh_from_db()
    assert hours[0].is_active
    assert AuditEvent.objects.filter(action="visiting_hours.deactivated").count() == 1


def test_it_shows_visiting_hours_of_the_own_centre_only(as_user, counselor, hours, other_centre):
    VisitingHours.objects.create(
        centre=other_centre, weekday=0, start_time=dt.time(9), end_time=dt.time(11), note="Far away"
    )
    page = as_user(counselor).get(reverse("families:visiting_hours")).text
    assert "Bring an ID card" in page and "Far away" not in page
