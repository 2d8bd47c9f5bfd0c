from django.urls import reverse
from django.utils import timezone

from alumni import actions, queries
from alumni.models import FollowUp, Visit
from kendra.models import Resident

from .conftest import make_alumnus, make_visit


def one_month(profile):
    return profile.followups.get(months=1)


def test_it_records_an_outcome_for_a_due_follow_up(as_user, coordinator, centre):
    profile = make_alumnus(centre, coordinator, days_ago=31)
    followup = one_month(profile)
    response = as_user(coordinator).post(
        reverse("alumni:followup_outcome", args=[followup.pk]),
        {"outcome": "reached_sober", "note": "Working at his uncle's shop."},
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.outcome == "reached_sober" and followup.recorded_by == coordinator
    profile.refresh_from_db()
    assert profile.last_reached_on == timezone.localdate()


def test_it_refuses_an_outcome_before_the_follow_up_opens(as_user, coordinator, centre):
    profile = make_alumnus(centre, coordinator, days_ago=5)
    followup = one_month(profile)
    response = as_user(coordinator).post(
        reverse("alumni:followup_outcome", args=[followup.pk]), {"outcome": "reached_sober"}
    )
    assert "This follow-up is not due yet" in response.text
    assert "Nothing was saved" in response.text
    followup.refresh_from_db()
    assert followup.outcome == ""


def test_it_refuses_an_outcome_for_someone_admitted_again(as_user, coordinator, centre):
    profile = make_alumnus(centre, coordinator, days_ago=40)
    Resident.objects.filter(pk=profile.resident_id).update(status="admitted")
    followup = one_month(profile)
    response = as_user(coordinator).post(
        reverse("alumni:followup_outcome", args=[followup.pk]), {"outcome": "reached_sober"}
    )
    assert "is not discharged" in response.text
    followup.refresh_from_db()
    assert followup.outcome == ""


def test_it_refuses_an_outcome_without_a_choice_or_twice(as_user, coordinator, centre):
    profile = make_alumnus(centre, coordinator, days_ago=31)
    followup = one_month(profile)
    client = as_user(coordinator)
    url = reverse("alumni:followup_outcome", args=[followup.pk])
    assert "Choose how the follow-up went." in client.post(url, {}).text
    client.post(url, {"outcome": "not_reached"})
    assert "already recorded" in client.post(url, {"outcome": "reached_sober"}).text
    followup.refresh_from_db()
    assert followup.outcome == "not_reached"


def test_it_sorts_follow_ups_into_due_overdue_and_upcoming(as_user, coordinator, centre):
    due = make_alumnus(centre, coordinator, days_ago=28, full_name="Due Soon")
    late = make_alumnus(centre, coordinator, days_ago=60, full_name="Long Late")
    make_alumnus(centre, coordinator, days_ago=2, full_name="Just Left")
    today = timezone.localdate()
    assert one_month(due).state(today) == "due"
    assert one_month(late).state(today) == "overdue"
    client = as_user(coordinator)
    page = client.get(reverse("alumni:followups")).text
    assert "Due Soon" in page and "Long Late" not in page and "Just Left" not in page
    page = client.get(reverse("alumni:followups"), {"show": "overdue"}).text
    assert "Long Late" in page and "Due Soon" not in page
    page = client.get(reverse("alumni:followups"), {"show": "upcoming"}).text
    assert "Just Left" in page


def test_it_counts_the_reach_rate_over_every_follow_up_already_due(coordinator, centre):
    profiles = [make_alumnus(centre, coordinator, days_ago=40) for _ in range(4)]
    for profile, outcome in zip(
        profiles[:3], ["reached_sober", "declined", "not_reached"], strict=True
    ):
        actions.record_followup_outcome(one_month(profile), outcome, coordinator)
    rate = actions.reach_rate([centre.pk])
    # 4 due (one never called), 2 reached: declining to talk is still being reached.
    assert rate == {"due": 4, "reached": 2, "percent": 50}
    assert actions.reach_rate([centre.pk + 999]) == {"due": 0, "reached": 0, "percent": None}


def test_it_shows_the_reach_rate_on_the_follow_ups_page(as_user, coordinator, centre):
    profile = make_alumnus(centre, coordinator, days_ago=40)
    actions.record_followup_outcome(one_month(profile), "reached_struggling", coordinator)
    assert "Reach rate: 100%" in as_user(coordinator).get(reverse("alumni:followups")).text


def test_it_gives_the_reminder_tick_follow_ups_due_on_a_day(coordinator, centre):
    profile = make_alumnus(centre, coordinator, days_ago=40)
    followup = one_month(profile)
    assert list(queries.followups_due(followup.due_on)) == [followup]
    actions.record_followup_outcome(followup, "reached_sober", coordinator)
    assert list(queries.followups_due(followup.due_on)) == []


def test_it_gives_the_reminder_tick_confirmed_visits_of_tomorrow(centre, alumnus):
    tomorrow = make_visit(centre, [alumnus], days=1, status=Visit.Status.CONFIRMED)
    make_visit(centre, [alumnus], days=1, hour=15)  # only proposed
    make_visit(centre, [alumnus], days=2, status=Visit.Status.CONFIRMED)
    assert list(queries.visits_tomorrow()) == [tomorrow]


def test_it_finds_alumni_not_reached_in_90_days(coordinator, centre):
    quiet = make_alumnus(centre, coordinator, days_ago=120)
    make_alumnus(centre, coordinator, days_ago=30)
    assert list(queries.not_reached([centre.pk])) == [quiet]
    actions.mark_reached([quiet], timezone.localdate())
    assert list(queries.not_reached([centre.pk])) == []


def test_it_shows_coordinators_a_home_panel(as_user, coordinator, centre, counselor):
    make_alumnus(centre, coordinator, days_ago=29)
    page = as_user(coordinator).get("/").text
    assert "Alumni this week" in page and "1 follow-up due" in page
    assert "Alumni this week" not in as_user(counselor).get("/").text


def test_it_keeps_one_follow_up_row_per_month_when_the_signal_repeats(coordinator, centre):
    profile = make_alumnus(centre, coordinator, days_ago=40)
    actions.make_alumnus(profile.resident)
    assert FollowUp.objects.filter(profile=profile).count() == 4


def test_it_updates_the_cached_home_panel_when_an_alumnus_is_reached(as_user, coordinator, centre):
    quiet = make_alumnus(centre, coordinator, days_ago=120)
    client = as_user(coordinator)

    def not_reached():
        response = client.get("/")
        return next(c for t, c in response.context["panels"] if "not_reached" in c)["not_reached"]

    assert not_reached() == 1
    actions.mark_reached([quiet], timezone.localdate())
    assert not_reached() == 0


def test_it_counts_a_new_follow_up_on_the_next_home_request(as_user, coordinator, centre):
    client = as_user(coordinator)
    assert "1 follow-up due" not in client.get("/").text
    make_alumnus(centre, coordinator, days_ago=29)
    assert "1 follow-up due" in client.get("/").text
