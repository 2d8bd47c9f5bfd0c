"""Centre settings in Kendra: what centre admins did in Django admin, with bounds and words."""

import datetime as dt

import pytest
from django.urls import reverse

from checkins.models import Cadence, CheckinDefaults, ReminderPlan
from kendra.models import AuditEvent, Centre

from ..factories import ResidentFactory

GOOD = {
    "name": "Navjeevan Kendra, Jaipur",
    "city": "Jaipur",
    "state": "Rajasthan",
    "phone": "0141 2345678",
    "beds": "40",
    "message_name": "",
    "emergency_phone": "112",
    "help_escalation_minutes": "15",
    "alert_escalation_hours": "24",
    "mentor_min_days_sober": "180",
    "mentor_contact_overdue_days": "7",
    "same_gender_mentoring": "on",
    "closed_weekdays": ["0"],
    "youth_age_limit": "25",
    "early_contact_by": "alumni_coordinator",
    "checkins-local_time": "09:00",
    "checkins-channel": "sms",
    "checkins-quiet_start": "22:00",
    "checkins-quiet_end": "07:00",
    "checkins-alumni_weekly_weeks": "12",
    "checkins-alumni_until_days": "365",
}


@pytest.fixture
def admin_client(client, centre_admin):
    client.force_login(centre_admin)
    return client


def url(centre, name="staff:centre_settings"):
    return reverse(name, args=[centre.pk])


def test_it_saves_every_setting_and_audits_it(admin_client, centre):
    data = {**GOOD, "message_name": "Sahyog Jaipur", "help_escalation_minutes": "10"}
    response = admin_client.post(url(centre), data)
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.message_name == "Sahyog Jaipur" and centre.name_in_messages == "Sahyog Jaipur"
    assert centre.help_escalation_minutes == 10 and centre.closed_weekdays == [0]
    assert CheckinDefaults.objects.get(centre=centre).quiet_start == dt.time(22, 0)
    assert AuditEvent.objects.filter(action="centre.settings_changed", centre=centre).exists()


def test_the_name_in_messages_defaults_to_kendra_and_the_city(centre):
    assert centre.name_in_messages == "Kendra Jaipur"


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("help_escalation_minutes", "0", "from 1 to 240"),
        ("alert_escalation_hours", "1000", "from 1 to 168"),
        ("mentor_min_days_sober", "-5", "from 0 to 3650"),
        ("checkins-alumni_until_days", "99999", "from 1 to 1095"),
        ("emergency_phone", "call anjali", "digits only"),
        ("checkins-quiet_end", "", "both ends"),
    ],
)
def test_a_setting_out_of_range_saves_nothing(admin_client, centre, field, value, words):
    before = Centre.objects.values().get(pk=centre.pk)
    response = admin_client.post(url(centre), {**GOOD, "name": "Changed", field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page and "Nothing was saved" in page
    assert Centre.objects.values().get(pk=centre.pk) == before
    assert not CheckinDefaults.objects.filter(centre=centre).exists()


def test_new_quiet_hours_are_offered_to_existing_plans(admin_client, centre):
    plans = [
        ReminderPlan.objects.create(resident=ResidentFactory(centre=centre), centre=centre)
        for _ in range(3)
    ]
    ReminderPlan.objects.filter(pk=plans[0].pk).update(cadence=Cadence.DAILY)
    response = admin_client.post(url(centre), {**GOOD, "checkins-quiet_start": "21:00"})
    assert response["Location"] == url(centre, "staff:apply_defaults")
    question = admin_client.get(response["Location"]).content.decode()
    assert "3 reminder plans have other quiet hours" in question
    assert ReminderPlan.objects.filter(quiet_start=dt.time(21, 0)).count() == 0  # not yet
    admin_client.post(url(centre, "staff:apply_defaults"), {"times": "on", "cadence": "on"})
    assert (
        ReminderPlan.objects.filter(quiet_start=dt.time(21, 0), quiet_end=dt.time(7, 0)).count()
        == 3
    )
    assert not ReminderPlan.objects.exclude(cadence=Cadence.AUTO).exists()
    assert all(p.next_due_at for p in ReminderPlan.objects.all())


def test_applying_needs_a_choice(admin_client, centre):
    response = admin_client.post(url(centre, "staff:apply_defaults"), {})
    assert "Tick at least one" in response.content.decode()


def test_settings_link_to_the_visiting_hours_page(admin_client, centre):
    page = admin_client.get(reverse("staff:settings_home")).content.decode()
    assert reverse("families:visiting_hours") in page


@pytest.mark.parametrize("size", [2, 20])
def test_the_settings_page_costs_the_same_at_any_size(
    admin_client, centre, size, django_assert_max_num_queries
):
    for _ in range(size):
        ReminderPlan.objects.create(resident=ResidentFactory(centre=centre), centre=centre)
    with django_assert_max_num_queries(8):
        admin_client.get(url(centre))
    with django_assert_max_num_queries(8):
        admin_client.get(url(centre, "staff:apply_defaults"))


def test_the_centre_chooses_its_anniversary_words_and_they_stay_discreet(admin_client, centre):
    response = admin_client.post(url(centre), {**GOOD, "anniversary_message": "Proud of you!"})
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.anniversary_message == "Proud of you!"
    response = admin_client.post(url(centre), {**GOOD, "anniversary_message": "30 days sober!"})
    assert "Keep it discreet" in response.content.decode()
    too_long = admin_client.post(url(centre), {**GOOD, "anniversary_message": "x" * 31})
    assert too_long.status_code == 200
    centre.refresh_from_db()
    assert centre.anniversary_message == "Proud of you!"
