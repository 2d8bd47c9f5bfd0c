import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from families.models import FamilyMember, Invitation
from kendra.models import Consent, Membership, Role
from kendra.notify.models import Notification

from .conftest import make_meeting


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("kendra.notify.outbox.queue_send", lambda pks, queue=None: pks)


def send_invitation(client, resident, **extra):
    data = {"name": "Sunita Sharma", "relationship": "spouse", "channel": "sms"}
    data.update(extra)
    return client.post(reverse("families:invite", args=[resident.pk]), data)


def link_in(notification):
    return re.search(r"https?://\S+", notification.body).group(0)


@pytest.fixture
def invited(as_user, counselor, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_invitation(as_user(counselor), resident, phone="98290 11111")
    assert response.status_code == 302
    notification = Notification.objects.get(kind="family_invitation")
    as_user(counselor).logout()
    return notification


def accept(client, url, username="sunita", password="Ghar-ka-raasta-42"):
    return client.post(url, {"username": username, "password1": password, "password2": password})


def test_it_sends_the_invitation_by_sms_through_the_outbox(invited):
    assert invited.channel == "sms" and invited.address == "+919829011111"
    assert "/families/invitation/" in invited.body
    assert len(invited.body) < 320


def test_it_requires_a_phone_for_an_sms_invitation(as_user, counselor, resident):
    response = send_invitation(as_user(counselor), resident)
    assert "Enter their mobile number" in response.text
    assert not Invitation.objects.exists() and not Notification.objects.exists()


def test_it_creates_the_account_the_link_and_the_consent(client, invited, resident):
    response = accept(client, link_in(invited))
    assert response.status_code == 302 and response["Location"] == reverse("families:schedule")
    user = get_user_model().objects.get(username="sunita")
    assert user.check_password("Ghar-ka-raasta-42")
    assert Membership.objects.filter(user=user, role=Role.FAMILY_MEMBER).exists()
    link = FamilyMember.objects.get(user=user)
    assert link.resident == resident and link.relationship == "spouse"
    assert link.phone == "+919829011111"
    consent = Consent.objects.get(grantee=user)
    assert consent.purpose == Consent.Purpose.FAMILY_SCHEDULE and consent.in_force
    assert resident.pk in __import__("families.access").access.family_resident_ids(user)


def test_it_refuses_a_used_invitation(client, invited):
    url = link_in(invited)
    accept(client, url)
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert "already been used" in response.text
    response = accept(client, url, username="someone")
    assert "already been used" in response.text
    assert not get_user_model().objects.filter(username="someone").exists()


def test_it_refuses_an_expired_invitation(client, invited):
    with time_machine.travel(timezone.now() + Invitation.LIFETIME, tick=False):
        response = accept(client, link_in(invited))
    assert response.status_code == 410
    assert "has expired" in response.text
    assert not get_user_model().objects.filter(username="sunita").exists()


def test_it_refuses_a_weak_password_and_saves_nothing(client, invited):
    response = accept(client, link_in(invited), password="12345678")
    assert response.status_code == 200
    assert "Nothing was saved" in response.text
    assert not get_user_model().objects.filter(username="sunita").exists()
    assert Invitation.objects.get().used_at is None


def test_it_refuses_a_taken_username(client, invited, counselor):
    response = accept(client, link_in(invited), username=counselor.username)
    assert "This username is taken" in response.text


def test_it_refuses_an_unknown_invitation_token(client, db):
    response = client.get(reverse("families:accept", args=["made-up"]))
    assert response.status_code == 404


def test_it_revokes_access_after_a_confirmation(
    as_user, client, counselor, family_user, family, resident
):
    make_meeting(group=family, topic="Cravings")
    link = family_user.family_links.get()
    staff = as_user(counselor)
    url = reverse("families:revoke", args=[link.pk])
    assert "Stop sharing the schedule" in staff.get(url).text
    assert Consent.objects.get(grantee=family_user).in_force
    staff.post(url)
    assert not Consent.objects.get(grantee=family_user).in_force
    assert FamilyMember.objects.filter(pk=link.pk).exists()  # history kept
    client.logout()
    page = as_user(family_user).get(reverse("families:schedule")).text
    assert "Cravings" not in page


def test_it_shows_a_residents_family_to_the_counselor(as_user, counselor, family, resident):
    page = as_user(counselor).get(reverse("families:resident_family", args=[resident.pk])).text
    assert "kamla" in page.lower() or "Test" in page
    assert "Stop sharing" in page
