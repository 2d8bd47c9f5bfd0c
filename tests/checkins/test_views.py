import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins import actions
from checkins.models import Alert, CheckIn, ReminderPlan

from ..factories import ResidentFactory


@pytest.fixture
def plan(resident):
    resident.phone = "+919812345678"
    resident.save()
    return actions.ensure_plan(resident)


# --- morning grid -------------------------------------------------------------------


def test_the_counselor_saves_the_whole_circle_in_one_post(centre, counselor, as_user, no_broker):
    people = [ResidentFactory(centre=centre) for _ in range(3)]
    data = {
        f"mood_{people[0].pk}": "4",
        f"mood_{people[1].pk}": "2",
        f"craving_{people[1].pk}": "8",
    }
    response = as_user(counselor).post(reverse("checkins:grid"), data)
    assert response.status_code == 302
    assert CheckIn.objects.filter(source="circle", for_date=timezone.localdate()).count() == 2
    assert set(Alert.objects.values_list("rule", flat=True)) == {"low_mood", "high_craving"}
    # A second save the same morning corrects, it does not add.
    as_user(counselor).post(reverse("checkins:grid"), {f"mood_{people[0].pk}": "5"})
    assert CheckIn.objects.get(resident=people[0]).mood == 5


@pytest.mark.parametrize(
    "field, value, message",
    [("mood", "7", "five faces"), ("craving", "11", "0 to 10"), ("craving", "x", "0 to 10")],
)
def test_the_grid_refuses_out_of_range_answers_and_saves_nothing(
    centre, counselor, as_user, field, value, message
):
    good, bad = ResidentFactory(centre=centre), ResidentFactory(centre=centre)
    data = {f"mood_{good.pk}": "4", f"mood_{bad.pk}": "3", f"{field}_{bad.pk}": value}
    response = as_user(counselor).post(reverse("checkins:grid"), data)
    assert response.status_code == 200 and message in response.text
    assert "Nothing was saved" in response.text and not CheckIn.objects.exists()


def test_the_grid_is_for_counselors_only(peer_leader, outsider, centre_admin, as_user):
    assert as_user(peer_leader).get(reverse("checkins:grid")).status_code == 403
    assert as_user(centre_admin).get(reverse("checkins:grid")).status_code == 403


def test_the_grid_never_shows_another_centres_residents(centre, outsider, as_user):
    ResidentFactory(centre=centre, full_name="Secret Person")
    assert "Secret Person" not in as_user(outsider).get(reverse("checkins:grid")).text


@pytest.mark.parametrize("size", [3, 30])
def test_the_grid_costs_a_bounded_number_of_queries(
    centre, counselor, as_user, django_assert_max_num_queries, size
):
    people = [ResidentFactory(centre=centre) for _ in range(size)]
    client = as_user(counselor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("checkins:grid")).status_code == 200
    data = {f"mood_{p.pk}": "4" for p in people}
    with django_assert_max_num_queries(20):
        assert client.post(reverse("checkins:grid"), data).status_code == 302


# --- alerts -------------------------------------------------------------------------


@pytest.fixture
def alert(resident, no_broker):
    actions.record_checkin(resident, mood=1, source="circle")
    return Alert.objects.get()


def test_staff_acknowledge_and_resolve_an_alert_with_a_note(counselor, alert, as_user):
    client = as_user(counselor)
    assert "Low mood" in client.get(reverse("checkins:alerts")).text
    client.post(reverse("checkins:alert_acknowledge", args=[alert.pk]))
    response = client.post(reverse("checkins:alert_resolve", args=[alert.pk]), {"note": "  "})
    assert "Write what was done" in response.text
    client.post(reverse("checkins:alert_resolve", args=[alert.pk]), {"note": "Talked with him."})
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.acknowledged_by == counselor


def test_alerts_404_outside_403_without_rights(
    alert, counselor, peer_leader, outsider, mentor_user, as_user
):
    url = reverse("checkins:alert_resolve", args=[alert.pk])
    assert as_user(counselor).get(url).status_code == 200
    assert as_user(peer_leader).get(url).status_code == 403
    assert as_user(mentor_user).get(url).status_code == 403  # not their mentee
    assert as_user(outsider).get(url).status_code == 404
    assert "Low mood" not in as_user(outsider).get(reverse("checkins:alerts")).text


@pytest.mark.parametrize("size", [2, 20])
def test_the_alert_list_costs_a_bounded_number_of_queries(
    centre, counselor, as_user, no_broker, django_assert_max_num_queries, size
):
    for _ in range(size):
        actions.record_checkin(ResidentFactory(centre=centre), mood=1, source="circle")
    client = as_user(counselor)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("checkins:alerts")).status_code == 200


def test_the_home_page_leads_with_open_alerts_and_who_has_not_checked_in(
    counselor, alert, centre, as_user
):
    ResidentFactory(centre=centre, full_name="Quiet Kumar")
    page = as_user(counselor).get(reverse("home")).text
    assert "Open alerts" in page and "Low mood" in page
    assert "Quiet Kumar" in page and page.index("Open alerts") < page.index("What you can do")


# --- personal link ------------------------------------------------------------------


def test_the_personal_link_saves_an_answer_without_login(client, plan, no_broker):
    url = reverse("checkins:answer", args=[plan.new_link()])
    page = client.get(url)
    assert page.status_code == 200 and "I need help now" in page.text
    response = client.post(url, {"mood": "4", "craving": "2", "note": "Slept well"})
    assert response.status_code == 200 and CheckIn.objects.get().source == "link"


def test_a_link_for_a_past_slot_still_accepts_a_late_answer(client, plan, no_broker):
    day = timezone.localdate() - dt.timedelta(days=3)
    url = reverse("checkins:answer", args=[plan.new_link()]) + f"?day={day:%Y-%m-%d}"
    assert "not too late" in client.get(url).text
    client.post(url, {"mood": "3", "day": f"{day:%Y-%m-%d}"})
    assert CheckIn.objects.get().for_date == day


@pytest.mark.parametrize(
    "data, message",
    [
        ({"mood": "9"}, "Choose one of the five faces."),
        ({}, "Tap the face"),
        ({"mood": "3", "craving": "11"}, "Choose a number from 0 to 10."),
        ({"mood": "3", "craving": "-1"}, "Choose a number from 0 to 10."),
    ],
)
def test_the_personal_link_refuses_out_of_range_answers(client, plan, data, message):
    response = client.post(reverse("checkins:answer", args=[plan.new_link()]), data)
    assert response.status_code == 400 and message in response.text
    assert not CheckIn.objects.exists()


def test_an_unknown_or_revoked_link_is_a_plain_404(client, plan, counselor):
    old = plan.new_link()
    new = actions.new_link(plan, counselor)
    for token in [old, "x" * 32, "short"]:
        response = client.get(reverse("checkins:answer", args=[token]))
        assert response.status_code == 404 and plan.resident.display_name not in response.text
    assert client.get(reverse("checkins:answer", args=[new])).status_code == 200


def test_i_need_help_now_alerts_at_once(client, plan, counselor, no_broker):
    client.post(reverse("checkins:answer", args=[plan.new_link()]), {"help": "1"})
    assert Alert.objects.get().rule == "help_request"
    assert Alert.objects.get().resident == plan.resident


def test_the_link_speaks_the_residents_language(client, plan):
    plan.resident.preferred_language = "hi"
    plan.resident.save()
    assert '<html lang="hi">' in client.get(reverse("checkins:answer", args=[plan.new_link()])).text


# --- reminder plans -----------------------------------------------------------------


def test_a_plan_is_saved_from_centre_defaults_and_scheduled(counselor, resident, as_user):
    resident.phone = "+919812345678"
    resident.save()
    url = reverse("checkins:plan", args=[resident.pk])
    data = {
        "cadence": "auto",
        "local_time": "08:30",
        "channel": "sms",
        "quiet_start": "22:00",
        "quiet_end": "07:00",
    }
    assert as_user(counselor).post(url, data).status_code == 302
    plan = ReminderPlan.objects.get()
    assert timezone.localtime(plan.next_due_at).time() == dt.time(8, 30)


@pytest.mark.parametrize(
    "channel, message",
    [
        ("fax", "Choose SMS, email or in-Kendra message."),
        ("email", "has no email address"),
        ("sms", "has no phone number"),
        ("in_app", "has no Kendra login"),
    ],
)
def test_a_plan_that_cannot_reach_the_person_is_refused_in_plain_words(
    counselor, resident, as_user, channel, message
):
    url = reverse("checkins:plan", args=[resident.pk])
    data = {"cadence": "auto", "local_time": "08:30", "channel": channel}
    response = as_user(counselor).post(url, data)
    assert response.status_code == 200 and message in response.text
    assert not ReminderPlan.objects.exists()


def test_the_reminder_time_cannot_sit_in_quiet_hours(counselor, plan, as_user):
    url = reverse("checkins:plan", args=[plan.resident.pk])
    data = {
        "cadence": "daily",
        "local_time": "23:00",
        "channel": "sms",
        "quiet_start": "22:00",
        "quiet_end": "07:00",
    }
    assert "quiet hours" in as_user(counselor).post(url, data).text


def test_plan_pages_404_outside_403_without_rights(
    plan, counselor, coordinator, peer_leader, outsider, as_user
):
    url = reverse("checkins:plan", args=[plan.resident.pk])
    assert as_user(counselor).get(url).status_code == 200
    assert as_user(coordinator).get(url).status_code == 200
    assert as_user(peer_leader).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 404
    revoke = reverse("checkins:plan_revoke", args=[plan.resident.pk])
    assert as_user(outsider).post(revoke).status_code == 404
