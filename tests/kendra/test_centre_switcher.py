"""Admins of several centres: the header's switcher picks the centre (remembered per
person), every page says which centre it shows, the admin home has a row per centre, and
an admin of A and B never sees C."""

import pytest
from django.urls import reverse

from checkins.models import Alert
from kendra.models import Membership, Profile, Role
from tests.factories import CentreFactory, ResidentFactory, member


@pytest.fixture
def centres(centre, other_centre):
    third = CentreFactory(name="Centre C Bhopal")
    return centre, other_centre, third


@pytest.fixture
def admin_ab(centres):
    a, b, _c = centres
    admin = member(Role.CENTRE_ADMIN, a, username="asha")
    Membership.objects.create(user=admin, centre=b, role=Role.CENTRE_ADMIN)
    return admin


@pytest.fixture
def people(centres):
    a, b, c = centres
    return [ResidentFactory(centre=x, full_name=f"Resident of {x.name}") for x in (a, b, c)]


def test_an_admin_of_a_and_b_sees_both_and_never_c(as_user, admin_ab, centres, people):
    a, b, c = centres
    Alert.objects.create(resident=people[1], centre=b, rule="low_mood", reason="x", dedupe_key="k")
    client = as_user(admin_ab)
    home = client.get(reverse("home")).text
    assert "data-centre-switcher" in home
    assert a.name in home and b.name in home and c.name not in home
    rows = home.split("data-centres")[1].split("</table>")[0]
    assert f'data-centre="{a.pk}"' in rows and f'data-centre="{b.pk}"' in rows
    assert f'data-centre="{c.pk}"' not in rows
    residents = client.get(reverse("resident_list")).text
    assert people[0].full_name in residents and people[1].full_name in residents
    assert people[2].full_name not in residents
    assert client.get(reverse("resident_detail", args=[people[2].pk])).status_code == 404
    # Choosing C, not theirs, is refused as if it did not exist; nothing is remembered.
    assert client.post(reverse("switch_centre"), {"centre": c.pk}).status_code == 404
    assert not Profile.objects.filter(user=admin_ab, current_centre__isnull=False).exists()


def test_the_switcher_narrows_every_list_and_is_remembered(as_user, admin_ab, centres, people):
    a, b, _c = centres
    client = as_user(admin_ab)
    assert client.post(reverse("switch_centre"), {"centre": a.pk}).status_code == 302
    assert Profile.objects.get(user=admin_ab).current_centre == a
    page = client.get(reverse("resident_list")).text
    assert f"Showing: {a.name}" in page
    assert people[0].full_name in page and people[1].full_name not in page
    assert client.get(reverse("resident_detail", args=[people[1].pk])).status_code == 404
    client.logout()
    client = as_user(admin_ab)  # signed in again: still centre A
    assert people[1].full_name not in client.get(reverse("resident_list")).text
    client.post(reverse("switch_centre"), {"centre": ""})
    page = client.get(reverse("resident_list")).text
    assert people[0].full_name in page and people[1].full_name in page


def test_a_person_of_one_centre_gets_no_switcher(as_user, counselor):
    page = as_user(counselor).get(reverse("home")).text
    assert "data-centre-switcher" not in page and "data-centre-shown" not in page
