import re

import time_machine
from django.urls import reverse
from icalendar import Calendar

from families import actions
from families.models import CalendarFeed, FamilyMeeting
from kendra.models import Consent

from .conftest import make_meeting


def feed_url(user):
    """A new calendar link for `user` (each call makes a new one: only hashes are kept)."""
    return reverse("families:feed", args=[actions.new_calendar_link(user)])


def events(response):
    cal = Calendar.from_ical(response.content)
    return [c for c in cal.walk("VEVENT")]


def test_it_serves_exactly_the_familys_upcoming_meetings(
    client, family_user, family, resident, other_family, foreign
):
    mine = [
        make_meeting(group=family, topic="Cravings"),
        make_meeting(resident=resident, days=5, topic="Home visit"),
        make_meeting(group=family, days=8, status=FamilyMeeting.Status.CANCELLED),
    ]
    make_meeting(group=family, days=-3, topic="Past one")
    make_meeting(group=other_family["group"], topic="Not ours")
    make_meeting(resident=other_family["resident"], topic="Not ours either")
    response = client.get(feed_url(family_user))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    assert {str(e["uid"]) for e in found} == {f"{m.uid}@kendra" for m in mine}


def test_it_writes_rfc5545_events_with_timezone_status_and_sequence(
    client, family_user, family, counselor
):
    meeting = make_meeting(group=family, topic="Cravings", online_link="https://meet.example.in/x")
    actions.cancel_meeting(meeting, "Holi holiday", counselor)
    response = client.get(feed_url(family_user))
    cal = Calendar.from_ical(response.content)
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Kolkata"]
    (event,) = cal.walk("VEVENT")
    assert event["status"] == "CANCELLED"
    assert int(event["sequence"]) == 1
    assert event["dtstart"].params["TZID"] == "Asia/Kolkata"
    assert event["dtstart"].dt == meeting.starts_at
    assert event["dtend"].dt == meeting.ends_at
    assert "dtstamp" in event
    assert "Hall 2" in str(event["location"])


def test_it_carries_no_resident_name_and_no_health_data(client, family_user, family, resident):
    make_meeting(resident=resident, topic="")
    body = client.get(feed_url(family_user)).content.decode()
    assert resident.full_name not in body
    assert "Rahul" not in body
    assert "alcohol" not in body.lower()
    assert "Family session" in body


def test_it_answers_404_once_the_consent_is_withdrawn(client, family_user, family, counselor):
    make_meeting(group=family)
    url = feed_url(family_user)
    assert client.get(url).status_code == 200
    Consent.objects.get(grantee=family_user).withdraw(counselor)
    assert client.get(url).status_code == 404


def test_it_answers_404_for_the_old_token_after_a_reset(as_user, family_user, family):
    make_meeting(group=family)
    old = feed_url(family_user)
    client = as_user(family_user)
    page = client.get(reverse("families:calendar_reset"))
    assert "stop working" in page.text  # a confirmation first, nothing changed yet
    assert client.get(old).status_code == 200
    response = client.post(reverse("families:calendar_reset"), follow=True)
    assert "old link no longer works" in response.text
    assert client.get(old).status_code == 404
    assert client.get(feed_url(family_user)).status_code == 200


def test_it_answers_404_for_an_unknown_token(client, family):
    assert client.get(reverse("families:feed", args=["nope"])).status_code == 404


def test_it_shows_the_calendar_page_with_instructions(as_user, family_user, family):
    client = as_user(family_user)
    page = client.get(reverse("families:calendar")).text
    assert "iPhone" in page and "Android" in page and "Make my calendar link" in page
    made = client.post(reverse("families:calendar"), follow=True).text
    assert "webcal://" in made
    token = re.search(r"/families/feed/([A-Za-z0-9_\-]+)\.ics", made).group(1)
    assert client.get(reverse("families:feed", args=[token])).status_code == 200
    # Shown once: only its hash is stored, and the page does not show it again.
    assert CalendarFeed.objects.get(user=family_user).token_hash == CalendarFeed.hash(token)
    again = client.get(reverse("families:calendar")).text
    assert token not in again and "webcal://" not in again and "make a new one" in again
    # A second POST does not silently replace the link: it asks first.
    response = client.post(reverse("families:calendar"))
    assert response.status_code == 302 and response.url == reverse("families:calendar_reset")
    assert client.get(reverse("families:feed", args=[token])).status_code == 200


def test_a_reset_shows_the_new_link_once(as_user, family_user, family):
    old = feed_url(family_user)
    client = as_user(family_user)
    page = client.post(reverse("families:calendar_reset"), follow=True).text
    new = re.search(r"/families/feed/([A-Za-z0-9_\-]+)\.ics", page).group(1)
    assert client.get(old).status_code == 404
    assert client.get(reverse("families:feed", args=[new])).status_code == 200


def test_it_bumps_the_sequence_and_marks_moved_when_time_changes(
    as_user, counselor, family, family_user, client
):
    meeting = make_meeting(group=family)
    with time_machine.travel(meeting.starts_at.replace(hour=0), tick=False):
        response = as_user(counselor).post(
            reverse("families:meeting_edit", args=[meeting.pk]),
            {
                "date": meeting.starts_at.date().isoformat(),
                "start": "12:00",
                "end": "13:30",
                "topic": "",
                "place": "Hall 2",
                "online_link": "",
            },
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.moved_from is not None
    client.logout()
    (event,) = events(client.get(feed_url(family_user)))
    assert int(event["sequence"]) == 1
