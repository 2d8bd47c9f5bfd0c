from django.urls import reverse

from families.models import FamilyMeeting
from kendra.models import Consent

from .conftest import make_meeting

SCHEDULE = reverse("families:schedule")


def test_it_shows_the_family_their_groups_meetings_and_their_sessions(
    as_user, family_user, family, resident, other_family
):
    make_meeting(group=family, topic="Talking about cravings")
    make_meeting(resident=resident, days=4, topic="Home visit plan")
    make_meeting(group=other_family["group"], topic="Spouses only")
    make_meeting(resident=other_family["resident"], topic="Imran session")
    page = as_user(family_user).get(SCHEDULE).text
    assert "Talking about cravings" in page
    assert "Home visit plan" in page
    assert "Spouses only" not in page
    assert "Imran" not in page
    assert "Rahul" not in page or "Rahul" in family_user.get_full_name()


def test_it_says_in_words_when_a_meeting_moved_or_was_cancelled(as_user, family_user, family):
    moved = make_meeting(group=family, topic="Moved one")
    moved.moved_from = moved.starts_at
    moved.save()
    make_meeting(
        group=family,
        days=10,
        topic="Off one",
        status=FamilyMeeting.Status.CANCELLED,
        cancel_reason="Holi holiday",
    )
    page = as_user(family_user).get(SCHEDULE).text
    assert "Moved" in page and "It was planned for" in page
    assert "Cancelled" in page and "This meeting will not take place." in page
    assert "Holi holiday" in page


def test_it_shows_times_the_indian_way(as_user, family_user, family):
    make_meeting(group=family, hour=15)
    page = as_user(family_user).get(SCHEDULE).text
    assert "3:30 p.m." in page or "3:30 pm" in page


def test_it_lists_past_meetings_but_not_cancelled_past_ones(as_user, family_user, family):
    make_meeting(group=family, days=-7, topic="Last week", status=FamilyMeeting.Status.HELD)
    make_meeting(
        group=family, days=-14, topic="Never happened", status=FamilyMeeting.Status.CANCELLED
    )
    page = as_user(family_user).get(SCHEDULE).text
    assert "Last week" in page
    assert "Never happened" not in page


def test_it_shows_nothing_once_the_consent_is_withdrawn(
    as_user, family_user, family, resident, counselor
):
    make_meeting(group=family, topic="Talking about cravings")
    client = as_user(family_user)
    assert "Talking about cravings" in client.get(SCHEDULE).text
    Consent.objects.get(grantee=family_user).withdraw(counselor)
    page = client.get(SCHEDULE).text
    assert "Talking about cravings" not in page
    assert "nothing to show" in page
    assert client.get(reverse("families:calendar")).status_code == 403


def test_it_shows_nothing_to_a_family_user_without_a_link(as_user, family_user, resident):
    from tests.factories import ConsentFactory

    ConsentFactory(resident=resident, grantee=family_user)  # consent alone is not a link
    assert "nothing to show" in as_user(family_user).get(SCHEDULE).text


def test_it_puts_the_next_meetings_on_the_family_home_page(as_user, family_user, family):
    make_meeting(group=family, topic="Talking about cravings")
    page = as_user(family_user).get(reverse("home")).text
    assert "Your next family meetings" in page
    assert "Talking about cravings" in page


def test_it_keeps_the_family_panel_off_a_counselors_home_page(as_user, counselor, family):
    make_meeting(group=family, topic="Talking about cravings")
    assert "Your next family meetings" not in as_user(counselor).get(reverse("home")).text


def test_it_bounds_the_schedule_queries(
    as_user, family_user, family, resident, django_assert_max_num_queries
):
    client = as_user(family_user)
    for n in range(3):
        make_meeting(group=family, days=n + 1)
    client.get(SCHEDULE)
    with django_assert_max_num_queries(12):
        client.get(SCHEDULE)
    for n in range(30):
        make_meeting(group=family, days=n + 5)
        make_meeting(group=family, days=-(n + 1), status=FamilyMeeting.Status.HELD)
    with django_assert_max_num_queries(12):
        client.get(SCHEDULE)
