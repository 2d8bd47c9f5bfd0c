"""Least privilege: each page shows only what the role needs, and nothing once it is gone."""

import pytest
from django.urls import reverse

from checkins.models import CheckIn, ReminderPlan
from kendra import actions as kendra_actions
from kendra.models import Membership, Role
from mentors import actions as mentor_actions
from mentors.models import Pairing

from ..factories import ResidentFactory, member
from ..mentors.conftest import make_mentor, make_pairing


@pytest.fixture
def plan(centre):
    resident = ResidentFactory(centre=centre, phone="+919829000001")
    CheckIn.objects.create(
        resident=resident, mood=2, note="slept badly, fight at home", source="link"
    )
    return ReminderPlan.objects.create(resident=resident, centre=centre)


def test_a_coordinator_keeps_the_plan_but_sees_no_checkin_or_link(client, plan, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("checkins:plan", args=[plan.resident_id])).content.decode()
    assert "Save plan" in page
    assert "2 · Bad" not in page and "Make a new link" not in page
    assert "Recent check-ins" not in page


def test_a_counselor_sees_checkins_and_the_link(client, plan, counselor):
    client.force_login(counselor)
    page = client.get(reverse("checkins:plan", args=[plan.resident_id])).content.decode()
    assert "2 · Bad" in page and "Make a new link" in page
    assert "/checkins/c/" not in page  # only hashes are kept: no link to show


@pytest.fixture
def pairing(centre, mentor_user):
    return make_pairing(make_mentor(centre, user=mentor_user), ResidentFactory(centre=centre))


def test_an_ended_pairing_is_history_for_staff_not_for_the_former_mentor(
    client, pairing, mentor_user, peer_leader
):
    mentor_actions.end_pairing(pairing, Pairing.EndReason.COMPLETED, peer_leader)
    url = reverse("mentors:pairing_detail", args=[pairing.pk])
    client.force_login(mentor_user)  # still a mentor, no longer this mentee's
    assert client.get(url).status_code == 404
    assert client.post(reverse("mentors:log_contact", args=[pairing.pk])).status_code == 404
    client.force_login(peer_leader)
    assert client.get(url).status_code == 200


def test_someone_whose_mentor_role_ended_gets_no_hint_of_the_pairing(
    client, centre, pairing, mentor_user, centre_admin
):
    Membership.objects.create(user=mentor_user, centre=centre, role=Role.ALUMNI_COORDINATOR)
    mentor = Membership.objects.get(user=mentor_user, role=Role.MENTOR)
    kendra_actions.end_membership(mentor, centre_admin, note="stepped back")
    client.force_login(mentor_user)  # staff of the centre still, as a coordinator: a refusal
    response = client.get(reverse("mentors:pairing_detail", args=[pairing.pk]))
    assert response.status_code == 403 and pairing.mentee.full_name not in response.content.decode()
    assert client.get(reverse("mentors:my_mentees")).status_code == 403


def test_a_mentor_still_opens_their_own_pairing(client, pairing, mentor_user):
    client.force_login(mentor_user)
    assert client.get(reverse("mentors:pairing_detail", args=[pairing.pk])).status_code == 200


def test_another_mentors_pairing_is_a_404(client, centre, pairing):
    other = member(Role.MENTOR, centre, username="other-mentor")
    client.force_login(other)
    assert client.get(reverse("mentors:pairing_detail", args=[pairing.pk])).status_code == 404
