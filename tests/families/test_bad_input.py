"""Numbers and dates no column can hold get a message in words, never a server error."""

import pytest
from django.urls import reverse

from families.models import FamilyGroup

HUGE = "9" * 23  # a 23-digit number: larger than any integer column


def group_data(place, **changes):
    return {
        "centre": place.pk,
        "name": "Saturday parents' circle",
        "audience": "parents",
        "weekday": "5",
        "start_time": "10:30",
        "duration_minutes": "90",
        "place": "Hall 2",
        **changes,
    }


@pytest.mark.parametrize(
    "value", [HUGE, "-" + HUGE, str(2**63), str(2**31 - 1), "100000", "1e309", "0", "-0", "14"]
)
def test_it_refuses_a_group_length_no_column_can_hold(as_user, counselor, centre, value):
    response = as_user(counselor).post(
        reverse("families:group_create"), group_data(centre, duration_minutes=value)
    )
    assert response.status_code == 200
    assert not FamilyGroup.objects.exists()


def test_it_says_in_words_how_long_a_group_meeting_may_be(as_user, counselor, centre):
    response = as_user(counselor).post(
        reverse("families:group_create"), group_data(centre, duration_minutes=HUGE)
    )
    assert "A meeting lasts between 15 minutes and 8 hours" in response.text


@pytest.mark.parametrize("field", ["weekday", "residents", "facilitator", "centre"])
def test_it_refuses_a_huge_number_for_a_choice(as_user, counselor, centre, field):
    response = as_user(counselor).post(
        reverse("families:group_create"), group_data(centre, **{field: HUGE})
    )
    assert response.status_code == 200
    assert not FamilyGroup.objects.exists()
