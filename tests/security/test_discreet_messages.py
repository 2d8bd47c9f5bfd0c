"""Discreet messages: no SMS, email, invitation or calendar event names the centre by its
full name or as a de-addiction or rehabilitation centre, in English or Hindi."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from checkins import actions as checkin_actions
from checkins.models import Alert
from families.models import Invitation, VisitingHours
from kendra.discreet import name_in_messages
from kendra.models import Role
from kendra.notify.models import Notification
from tests.factories import CentreFactory, ResidentFactory, member
from tests.families.conftest import link_family, make_meeting
from tests.mentors.conftest import make_mentor, make_pairing

ROOT = Path(__file__).resolve().parents[2]
FULL_NAME = "Navjeevan Nasha Mukti Kendra (De-addiction and Rehabilitation Centre)"
TELLING = ["nasha", "addiction", "rehab", "mukti", "नशा", "नशे", "मुक्ति"]
KINDS = sorted(
    p.name.removesuffix("-subject.txt") for p in (ROOT / "templates/notify").glob("*-subject.txt")
)


def assert_discreet(text, where):
    assert FULL_NAME.lower() not in text.lower(), where
    for word in TELLING:
        assert word not in text.lower(), (word, where, text)


@pytest.fixture
def centre(db):
    return CentreFactory(name=FULL_NAME, city="Jaipur")


@pytest.fixture
def resident(centre):
    return ResidentFactory(centre=centre, full_name="Rahul Sharma", preferred_name="Rahul")


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("kendra.notify.outbox.queue_send", lambda pks: list(pks))


@pytest.fixture
def context(centre, resident):
    """Everything any notification template reads, from real rows."""
    checkin_actions.record_checkin(resident, mood=1, source="circle")
    low_mood = Alert.objects.get(resident=resident)
    help_alert = checkin_actions.ask_for_help(resident).alert
    mentor = make_mentor(centre, user=member(Role.MENTOR, centre, username="suresh"))
    pairing = make_pairing(mentor, resident)
    meeting = make_meeting(resident=resident, topic="Talking at home")
    invitation = Invitation(resident=resident, name="Sunita Sharma", channel="sms")
    return {
        "centre": centre,
        "resident": resident,
        "alerts": [low_mood, help_alert],
        "pairing": pairing,
        "mentee": resident,
        "mentor": pairing.mentor,
        "days": 9,
        "meeting": meeting,
        "invitation": invitation,
        "name_in_messages": name_in_messages(centre),
        "link": "https://kendra.example.in/checkins/c/abc/",
        "name": resident.display_name,
        "time": "23:14",
        "level": "every counselor",
        "subject": "A note",
        "body": "Please call the office.",
    }


def variants(context):
    for alert in context["alerts"]:
        for flags in [{}, {"urgent": True}, {"again": True}, {"nobody_reached": True}]:
            yield {**context, "alert": alert, **flags}


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_notification_template_is_discreet(context, language):
    assert {"checkin", "alert", "help", "escalation", "family_invitation"} <= set(KINDS)
    for kind in KINDS:
        for ctx in variants(context):
            with translation.override(language):
                for part in ("subject.txt", "body.txt", "body.html"):
                    path = ROOT / "templates/notify" / f"{kind}-{part}"
                    if path.exists():
                        text = render_to_string(f"notify/{kind}-{part}", ctx)
                        assert_discreet(text, f"{kind}-{part} ({language})")


def test_the_family_invitation_names_the_centre_as_it_asks(as_user, centre, resident):
    counselor = member(Role.COUNSELOR, centre, username="anjali")
    as_user(counselor).post(
        reverse("families:invite", args=[resident.pk]),
        {
            "name": "Sunita Sharma",
            "relationship": "spouse",
            "channel": "sms",
            "phone": "98290 11111",
        },
    )
    row = Notification.objects.get(kind="family_invitation")
    assert "Kendra Jaipur" in row.body
    assert_discreet(row.subject + row.body + row.body_html, "family invitation")


def test_every_message_written_for_an_alert_and_a_help_press_is_discreet(centre, resident):
    mentor_user = member(Role.MENTOR, centre, username="suresh")
    make_pairing(make_mentor(centre, user=mentor_user), resident)
    member(Role.COUNSELOR, centre, username="anjali")
    checkin_actions.record_checkin(resident, mood=1, source="circle")
    checkin_actions.ask_for_help(resident)
    rows = Notification.objects.all()
    assert rows.exists()
    for row in rows:
        assert_discreet(row.subject + row.body + row.body_html, row.kind)


def test_every_calendar_feed_event_is_discreet(client, centre, resident):
    family_user = member(Role.FAMILY_MEMBER, centre, username="kamla")
    link_family(family_user, resident)
    make_meeting(resident=resident, topic="Talking at home")
    for weekday in range(7):
        VisitingHours.objects.create(
            centre=centre, weekday=weekday, start_time=dt.time(16), end_time=dt.time(18)
        )
    from families import actions as family_actions

    token = family_actions.new_calendar_link(family_user)
    body = client.get(reverse("families:feed", args=[token])).content.decode()
    assert body.count("BEGIN:VEVENT") >= 2 and "Kendra Jaipur" in body
    # Unfold RFC 5545 continuation lines before reading the text.
    assert_discreet(re.sub(r"\r\n[ \t]", "", body), "calendar feed")
