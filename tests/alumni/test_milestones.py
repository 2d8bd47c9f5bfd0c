import datetime as dt

import time_machine
from django.utils import timezone

from alumni import actions
from alumni.milestones import (
    milestone_dates,
    milestones_between,
    milestones_for_residents,
    milestones_this_month,
    next_milestone,
)
from alumni.models import add_months

from .conftest import make_alumnus

D = dt.date


def test_it_computes_every_milestone_from_the_sobriety_date():
    dates = dict(milestone_dates(D(2025, 1, 10)))
    assert dates["30d"] == D(2025, 2, 9)
    assert dates["60d"] == D(2025, 3, 11)
    assert dates["90d"] == D(2025, 4, 10)
    assert dates["6m"] == D(2025, 7, 10)
    assert dates["1y"] == D(2026, 1, 10)
    assert dates["2y"] == D(2027, 1, 10)
    assert dates["3y"] == D(2028, 1, 10)
    assert dates["5y"] == D(2030, 1, 10)
    assert dates["10y"] == D(2035, 1, 10)


def test_it_puts_a_leap_day_anniversary_on_28_february_in_other_years():
    dates = dict(milestone_dates(D(2024, 2, 29)))
    assert dates["1y"] == D(2025, 2, 28)
    assert dates["2y"] == D(2026, 2, 28)
    assert dates["10y"] == D(2034, 2, 28)
    assert dates["30d"] == D(2024, 3, 30)  # days count the leap day itself


def test_it_counts_30_days_across_a_leap_february():
    assert dict(milestone_dates(D(2028, 2, 1)))["30d"] == D(2028, 3, 2)
    assert dict(milestone_dates(D(2027, 2, 1)))["30d"] == D(2027, 3, 3)


def test_it_ends_six_months_from_the_31st_on_the_last_day_of_the_month():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)


def test_it_finds_the_next_milestone_including_today():
    assert next_milestone(D(2025, 1, 10), today=D(2025, 2, 9)) == ("30d", D(2025, 2, 9))
    assert next_milestone(D(2025, 1, 10), today=D(2025, 2, 10)) == ("60d", D(2025, 3, 11))
    assert next_milestone(D(2000, 1, 1), today=D(2025, 1, 1)) is None


def test_it_lists_milestones_in_a_range_with_both_ends_included(centre, coordinator):
    profile = make_alumnus(centre, coordinator, days_ago=10)
    resident = profile.resident
    resident.sobriety_date = D(2025, 1, 10)
    resident.save()
    found = milestones_between(D(2025, 2, 9), D(2025, 3, 11))
    assert [(m.key, m.on) for m in found] == [("30d", D(2025, 2, 9)), ("60d", D(2025, 3, 11))]
    assert found[0].profile == profile
    assert milestones_between(D(2025, 2, 10), D(2025, 3, 10)) == []
    assert milestones_between(D(2025, 2, 9), D(2025, 2, 9), centre_ids=[centre.pk + 999]) == []


def test_it_offers_mentors_the_same_list_for_any_residents(resident):
    resident.sobriety_date = D(2025, 1, 10)
    found = milestones_for_residents([resident], D(2025, 7, 1), D(2025, 7, 31))
    assert [(m.resident, m.key) for m in found] == [(resident, "6m")]


def test_it_follows_the_new_sobriety_date_after_a_relapse(centre, coordinator):
    profile = make_alumnus(centre, coordinator, days_ago=10)
    profile.resident.sobriety_date = D(2025, 1, 10)
    profile.resident.save()
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        actions.record_relapse(profile, D(2025, 5, 1), D(2025, 5, 3), coordinator)
        june = milestones_this_month()
    assert [(m.key, m.on) for m in june] == [("30d", D(2025, 6, 2))]  # not the old 6 months


def test_it_decides_this_month_by_the_date_in_india_at_midnight(centre, coordinator):
    profile = make_alumnus(centre, coordinator, days_ago=10)
    profile.resident.sobriety_date = D(2025, 1, 2)  # 30 days: 1 February
    profile.resident.save()
    # 31 January 18:45 UTC is 1 February 00:15 in India: the month is February.
    with time_machine.travel(dt.datetime(2025, 1, 31, 18, 45, tzinfo=dt.UTC), tick=False):
        assert timezone.localdate() == D(2025, 2, 1)
        assert [m.key for m in milestones_this_month()] == ["30d"]
    # 31 January 18:15 UTC is still 23:45 on 31 January in India.
    with time_machine.travel(dt.datetime(2025, 1, 31, 18, 15, tzinfo=dt.UTC), tick=False):
        assert milestones_this_month() == []


def test_it_finds_month_end_milestones_through_the_date_ranges_the_database_reads(
    centre, coordinator
):
    """The query reads only the sobriety dates that can reach the period: the 31st's and
    29 February's clamped milestones must still be inside those ranges."""
    for sober in (D(2024, 8, 31), D(2024, 2, 29), D(2020, 1, 1)):
        profile = make_alumnus(centre, coordinator, days_ago=10)
        profile.resident.sobriety_date = sober
        profile.resident.save()
    feb = milestones_between(D(2025, 2, 1), D(2025, 2, 28))
    assert sorted((m.key, m.on) for m in feb) == [("1y", D(2025, 2, 28)), ("6m", D(2025, 2, 28))]


def test_the_coordinators_home_shows_eight_milestones_and_links_to_the_rest(
    as_user, centre, coordinator
):
    today = timezone.localdate()
    first = today.replace(day=1)
    for i in range(10):
        profile = make_alumnus(centre, coordinator, days_ago=10)
        profile.resident.sobriety_date = first - dt.timedelta(days=30 - i % 2)
        profile.resident.save()
    response = as_user(coordinator).get("/")
    panel = next(ctx for tpl, ctx in response.context["panels"] if tpl == "alumni/_home_panel.html")
    assert len(panel["milestones"]) == 8 and panel["more_milestones"]
    assert "All milestones this month" in response.content.decode()
