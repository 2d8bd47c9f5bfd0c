"""Alumni followed up on time: one digest per coordinator, overdue follow-ups told to the
centre admins once, anniversary greetings only with consent, sent once (time-machine)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alumni import actions, reminders
from alumni.models import AlumniProfile, FollowUp
from kendra.models import Role
from kendra.notify import screen
from kendra.notify.models import Notification
from tests.factories import member

from .conftest import make_alumnus

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("kendra.notify.outbox.queue_send", lambda pks, queue=None: pks)


def due_in(profile, days):
    followup = profile.followups.order_by("months").first()
    followup.due_on = timezone.localdate() + dt.timedelta(days=days)
    followup.save()
    return followup


def test_one_digest_per_coordinator_with_every_follow_up_due_this_week(
    centre, other_centre, coordinator
):
    second = member(Role.ALUMNI_COORDINATOR, centre, username="sita", email="sita@example.in")
    away = member(Role.ALUMNI_COORDINATOR, other_centre, username="far", email="far@example.in")
    names = ["Arjun Mehta", "Bilal Qureshi", "Chetan Rao"]
    for name in names:
        due_in(make_alumnus(centre, full_name=name), 0)
    reminders.send_followup_digests()
    reminders.send_followup_digests()  # a second run writes nothing new
    rows = Notification.objects.filter(kind="followup_digest")
    assert sorted(r.recipient_user.username for r in rows) == sorted([coordinator.username, "sita"])
    assert not rows.filter(recipient_user=away).exists()
    mail = rows.get(recipient_user=second)
    assert mail.channel == "email" and "3 follow-ups are due this week" in mail.body
    assert all(name.split()[0] in mail.body for name in names)


def test_an_overdue_follow_up_goes_to_the_centre_admin_once(centre, coordinator, centre_admin):
    followup = due_in(make_alumnus(centre), -20)
    assert reminders.escalate_overdue() == 1
    assert reminders.escalate_overdue() == 0
    row = Notification.objects.get(kind="followup_overdue")
    assert row.recipient_user == centre_admin and "20 days overdue" in row.body
    followup.refresh_from_db()
    assert followup.escalated_at is not None
    # One recorded in time is never escalated.
    done = due_in(make_alumnus(centre), -30)
    FollowUp.objects.filter(pk=done.pk).update(outcome="reached_sober")
    assert reminders.escalate_overdue() == 0


def test_anniversaries_are_1_3_6_months_then_every_year():
    start = dt.date(2025, 1, 31)
    assert reminders.anniversary_months(start, dt.date(2025, 2, 28)) == 1
    assert reminders.anniversary_months(start, dt.date(2025, 4, 30)) == 3
    assert reminders.anniversary_months(start, dt.date(2025, 7, 31)) == 6
    assert reminders.anniversary_months(start, dt.date(2025, 3, 31)) is None  # 2 months
    assert reminders.anniversary_months(start, dt.date(2026, 1, 31)) == 12
    assert reminders.anniversary_months(start, dt.date(2028, 1, 31)) == 36


SOBER = timezone.localdate() - dt.timedelta(days=5)  # after the test alumni's discharge


def on(months, day_after=0, hour=9):
    """9:00 in India on the day `months` after SOBER (plus `day_after` days)."""
    day = reminders.add_months(SOBER, months) + dt.timedelta(days=day_after)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=IST)


def greeted(centre, with_consent, language="en", phone="+919829000222"):
    profile = make_alumnus(
        centre,
        consent=with_consent,
        full_name="Deepak Verma",
        preferred_name="Deepak",
        phone=phone,
        preferred_language=language,
    )
    profile.resident.sobriety_date = SOBER
    profile.resident.save()
    return profile


@pytest.mark.parametrize("language", ["en", "hi"])
def test_an_alumnus_who_agreed_gets_one_greeting_in_their_language(centre, language):
    centre.anniversary_message = ""
    centre.city = "Jaipur"
    centre.save()
    profile = greeted(centre, with_consent=True, language=language)
    with time_machine.travel(on(3), tick=False):
        assert reminders.send_anniversaries() == 1
        assert reminders.send_anniversaries() == 0
    row = Notification.objects.get(kind="anniversary")
    assert row.recipient_resident == profile.resident and row.channel == "sms"
    if language == "en":
        assert row.body == (
            "Namaste Deepak, today it is 3 months since your new beginning. "
            "Warm wishes from all of us. - Kendra Jaipur"
        )
    else:
        assert "3 महीने" in row.body and row.body.startswith("नमस्ते Deepak")
    for word in ("sober", "nasha", "addiction", "rehab"):
        assert word not in row.body.lower()


def test_no_greeting_without_consent_or_on_another_day(centre):
    greeted(centre, with_consent=False)
    with time_machine.travel(on(3), tick=False):
        assert reminders.send_anniversaries() == 0
    profile = greeted(centre, with_consent=True, phone="+919829000333")
    with time_machine.travel(on(3, day_after=1), tick=False):
        assert reminders.send_anniversaries() == 0
    actions.record_consent(profile, AlumniProfile.Decision.OPTED_OUT, None)
    with time_machine.travel(on(12), tick=False):
        assert reminders.send_anniversaries() == 0
    assert not Notification.objects.filter(kind="anniversary").exists()


def test_the_centre_chooses_the_words(centre):
    centre.anniversary_message = "Proud of you, always."
    centre.save()
    greeted(centre, with_consent=True)
    with time_machine.travel(on(12), tick=False):
        reminders.send_anniversaries()
    body = Notification.objects.get(kind="anniversary").body
    assert "today it is 1 year since" in body and "Proud of you, always." in body


def test_a_greeting_waits_for_the_morning(centre):
    greeted(centre, with_consent=True)
    with time_machine.travel(on(3, hour=6), tick=False):
        reminders.send_anniversaries()
        row = Notification.objects.get(kind="anniversary")
        verdict = screen.verdicts([row])[row.pk]
    assert verdict.action == "hold"
    assert verdict.until == on(3, hour=8)


def test_the_coordinators_home_lists_the_weeks_follow_ups_and_anniversaries(
    client, centre, coordinator
):
    due_in(make_alumnus(centre, full_name="Farid Shaikh", preferred_name="Farid"), 1)
    other = make_alumnus(centre, full_name="Gopal Das", preferred_name="Gopal")
    other.resident.sobriety_date = reminders.add_months(timezone.localdate(), -6)
    other.resident.save()
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Follow-ups this week" in page and "Farid" in page
    assert "Anniversaries this week" in page and "Gopal" in page and "6 months" in page
