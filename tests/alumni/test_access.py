import pytest
from django.urls import reverse

from kendra.models import Role
from tests.factories import member

from .conftest import make_alumnus, make_visit

LIST_PAGES = [
    "alumni:directory",
    "alumni:queue",
    "alumni:milestones",
    "alumni:visits",
    "alumni:visit_propose",
    "alumni:followups",
]
OBJECT_PAGES = [
    ("alumni:detail", "profile"),
    ("alumni:edit", "profile"),
    ("alumni:consent", "profile"),
    ("alumni:relapse", "profile"),
    ("alumni:visit", "visit"),
    ("alumni:visit_done", "visit"),
    ("alumni:visit_cancel", "visit"),
    ("alumni:followup_outcome", "followup"),
]


@pytest.fixture
def objects(centre, coordinator):
    profile = make_alumnus(centre, coordinator, days_ago=40, full_name="Hidden Alumnus")
    return {
        "profile": profile,
        "visit": make_visit(centre, [profile], days=-1, status="confirmed"),
        "followup": profile.followups.get(months=1),
    }


@pytest.mark.parametrize("name", LIST_PAGES)
def test_it_shows_list_pages_to_the_coordinator(as_user, coordinator, objects, name):
    assert as_user(coordinator).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("who", ["counselor", "peer_leader", "mentor_user"])
def test_it_answers_403_on_list_pages_to_other_staff(request, as_user, name, who):
    user = request.getfixturevalue(who)
    assert as_user(user).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", LIST_PAGES)
def test_it_answers_404_on_list_pages_to_family(as_user, family_user, name):
    assert as_user(family_user).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", LIST_PAGES)
def test_it_shows_another_centres_coordinator_none_of_ours(as_user, other_centre, objects, name):
    stranger = member(Role.ALUMNI_COORDINATOR, other_centre, username="ritu")
    response = as_user(stranger).get(reverse(name))
    assert response.status_code == 200 and "Hidden Alumnus" not in response.text


@pytest.mark.parametrize("name, kind", OBJECT_PAGES)
def test_it_shows_object_pages_to_the_coordinator(as_user, coordinator, objects, name, kind):
    assert as_user(coordinator).get(reverse(name, args=[objects[kind].pk])).status_code == 200


@pytest.mark.parametrize("name, kind", OBJECT_PAGES)
@pytest.mark.parametrize("who", ["counselor", "peer_leader"])
def test_it_answers_403_on_object_pages_to_staff_of_the_same_centre(
    request, as_user, objects, name, kind, who
):
    user = request.getfixturevalue(who)
    assert as_user(user).get(reverse(name, args=[objects[kind].pk])).status_code == 403


@pytest.mark.parametrize("name, kind", OBJECT_PAGES)
@pytest.mark.parametrize("who", ["outsider", "family_user"])
def test_it_answers_404_on_object_pages_to_outsiders_and_family(
    request, as_user, objects, name, kind, who
):
    user = request.getfixturevalue(who)
    assert as_user(user).get(reverse(name, args=[objects[kind].pk])).status_code == 404


def test_it_answers_404_to_another_centres_coordinator(as_user, other_centre, objects):
    stranger = member(Role.ALUMNI_COORDINATOR, other_centre, username="ritu")
    client = as_user(stranger)
    assert client.get(reverse("alumni:detail", args=[objects["profile"].pk])).status_code == 404
    assert (
        client.post(reverse("alumni:visit_confirm", args=[objects["visit"].pk])).status_code == 404
    )


def test_it_refuses_state_changes_to_a_peer_leader(as_user, peer_leader, objects):
    client = as_user(peer_leader)
    assert (
        client.post(reverse("alumni:visit_confirm", args=[objects["visit"].pk])).status_code == 403
    )
    url = reverse("alumni:consent", args=[objects["profile"].pk])
    assert client.post(url, {"decision": "opted_out"}).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client, objects):
    response = client.get(reverse("alumni:detail", args=[objects["profile"].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_lets_a_centre_admin_see_the_directory(as_user, centre_admin, objects):
    assert "Hidden Alumnus" in as_user(centre_admin).get(reverse("alumni:directory")).text
