"""Staff and roles: invite, accept, give and take roles, deactivate — the centre admin's pages."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kendra.models import AuditEvent, Membership, Profile, Role
from kendra.notify.models import Notification
from mentors.models import Pairing
from rota.models import DutyShift
from staff import actions
from staff.models import StaffInvitation

from ..factories import ResidentFactory, member
from ..mentors.conftest import make_mentor, make_pairing
from ..rota.factories import put_on_duty

User = get_user_model()


def invite(client, centre, **data):
    fields = {
        "name": "Farah Khan",
        "role": Role.COUNSELOR,
        "phone": "98290 11111",
        "channel": "sms",
    }
    fields.update(data)
    return client.post(reverse("staff:invite", args=[centre.pk]), fields)


def link_in(notification):
    return re.search(r"https?://\S+", notification.body).group(0)


@pytest.fixture
def admin_client(client, centre_admin):
    client.force_login(centre_admin)
    return client


def test_it_invites_by_sms_through_the_outbox(admin_client, centre, centre_admin):
    response = invite(admin_client, centre)
    assert response.status_code == 302
    invitation = StaffInvitation.objects.get()
    message = Notification.objects.get(kind="staff_invitation")
    assert message.channel == "sms" and message.address == "+919829011111"
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]
    assert (
        invitation.token_hash == StaffInvitation.hash(token) and token not in invitation.token_hash
    )
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    assert centre.name not in message.body and "Kendra Jaipur" in message.body
    assert not invitation.user.is_active and not invitation.user.has_usable_password()
    assert AuditEvent.objects.filter(action="staff.invited", user=centre_admin).exists()


def test_it_refuses_an_address_already_on_staff(admin_client, centre, counselor):
    before = (User.objects.count(), StaffInvitation.objects.count(), Notification.objects.count())
    response = invite(admin_client, centre, channel="email", email=counselor.email, phone="")
    assert response.status_code == 200
    assert "already works here" in response.content.decode()
    assert (
        User.objects.count(),
        StaffInvitation.objects.count(),
        Notification.objects.count(),
    ) == before


def test_it_asks_for_the_address_of_the_chosen_channel(admin_client, centre):
    response = invite(admin_client, centre, phone="", email="")
    assert "Write a mobile number" in response.content.decode()
    assert not StaffInvitation.objects.exists()


def test_the_invited_counselor_sets_a_password_once_and_signs_in(admin_client, centre):
    invite(admin_client, centre)
    url = link_in(Notification.objects.get(kind="staff_invitation"))
    phone = Client()
    assert phone.get(url).status_code == 200
    form = {"username": "farah", "password1": "chai-at-7-always", "password2": "chai-at-7-always"}
    response = phone.post(url, form)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    farah = User.objects.get(username="farah")
    assert farah.is_active and farah.check_password("chai-at-7-always")
    assert Membership.objects.filter(user=farah, centre=centre, role=Role.COUNSELOR).exists()
    assert phone.post(url, form).status_code == 410  # single use
    signed_in = phone.post(reverse("login"), {"username": "farah", "password": form["password1"]})
    assert signed_in.status_code == 302
    assert phone.get(reverse("home")).status_code == 200


def test_a_cancelled_or_expired_invitation_does_not_open(admin_client, centre):
    invite(admin_client, centre)
    invitation = StaffInvitation.objects.get()
    url = link_in(Notification.objects.get(kind="staff_invitation"))
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        assert Client().get(url).status_code == 410
    cancel = reverse("staff:invitation_cancel", args=[invitation.pk])
    assert admin_client.get(cancel).status_code == 200  # the question first
    admin_client.post(cancel)
    assert Client().get(url).status_code == 410
    assert Client().get(url.replace(url[-11:-1], "x" * 10)).status_code == 404


def test_it_lists_and_searches_the_staff(
    admin_client, centre, counselor, coordinator, other_centre
):
    member(Role.COUNSELOR, other_centre, username="elsewhere")
    page = admin_client.get(reverse("staff:home")).content.decode()
    assert "anjali" in page and "meena" in page and "elsewhere" not in page
    page = admin_client.get(reverse("staff:home"), {"q": "meena"}).content.decode()
    assert "meena" in page and "anjali" not in page


@pytest.mark.parametrize("size", [3, 30])
def test_the_staff_list_costs_the_same_at_any_size(
    admin_client, centre, size, django_assert_max_num_queries
):
    for n in range(size):
        member(Role.MENTOR if n % 2 else Role.COUNSELOR, centre, username=f"s{size}-{n}")
    with django_assert_max_num_queries(10):
        assert admin_client.get(reverse("staff:home")).status_code == 200


def test_it_gives_and_takes_roles(admin_client, centre, counselor, centre_admin):
    membership = Membership.objects.get(user=counselor, role=Role.COUNSELOR)
    url = reverse("staff:person", args=[membership.pk])
    admin_client.post(url, {"roles": [Role.COUNSELOR, Role.PEER_LEADER], "note": ""})
    assert Membership.objects.filter(user=counselor, role=Role.PEER_LEADER, is_active=True).exists()
    admin_client.post(url, {"roles": [Role.PEER_LEADER], "note": "moved"})
    assert not Membership.objects.get(user=counselor, role=Role.COUNSELOR).is_active
    assert AuditEvent.objects.filter(action="membership.ended", user=centre_admin).exists()


def test_it_never_removes_the_last_centre_admin(admin_client, centre, centre_admin):
    membership = Membership.objects.get(user=centre_admin, role=Role.CENTRE_ADMIN)
    response = admin_client.post(
        reverse("staff:person", args=[membership.pk]), {"roles": [Role.COUNSELOR], "note": ""}
    )
    assert "only centre admin" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).is_active
    assert not Membership.objects.filter(user=centre_admin, role=Role.COUNSELOR).exists()


def test_the_last_admin_cannot_be_deactivated(centre, centre_admin):
    other = member(Role.CENTRE_ADMIN, centre, username="second")
    Membership.objects.filter(user=other).update(is_active=False)
    with pytest.raises(actions.StaffError):
        actions.deactivate(centre_admin, centre, other, "x")
    with pytest.raises(actions.StaffError):
        actions.deactivate(centre_admin, centre, centre_admin, "x")  # not oneself either


def test_deactivating_a_mentor_ends_everything_at_once(admin_client, centre, mentor_user):
    mentor = make_mentor(centre, user=mentor_user)
    mentee = ResidentFactory(centre=centre)
    pairing = make_pairing(mentor, mentee)
    member(Role.COUNSELOR, centre, username="bala")
    Membership.objects.create(user=mentor_user, centre=centre, role=Role.COUNSELOR)
    put_on_duty(centre, mentor_user, timezone.now() + dt.timedelta(days=1))
    theirs = Client()
    theirs.force_login(mentor_user)
    membership = Membership.objects.get(user=mentor_user, role=Role.MENTOR)
    url = reverse("staff:deactivate", args=[membership.pk])
    assert "1 mentee" in admin_client.get(url).content.decode()  # asks first
    response = admin_client.post(url, {"note": "moved to Delhi"})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.ended_at is not None and "moved to Delhi" in pairing.end_note
    assert not DutyShift.objects.filter(
        membership__user=mentor_user, ended_at__isnull=True
    ).exists()
    assert not Membership.objects.filter(user=mentor_user, is_active=True).exists()
    mentor_user.refresh_from_db()
    assert not mentor_user.is_active
    assert Session.objects.count() == 1  # only the admin's
    assert theirs.get(reverse("home")).status_code == 302  # signed out
    assert AuditEvent.objects.filter(action="staff.deactivated", object_id=str(mentor_user.pk))
    assert Pairing.objects.filter(mentee=mentee, ended_at__isnull=True).count() == 0


def test_deactivating_needs_a_reason(admin_client, centre, counselor):
    membership = Membership.objects.get(user=counselor)
    response = admin_client.post(reverse("staff:deactivate", args=[membership.pk]), {"note": " "})
    assert response.status_code == 200 and "Write a short reason" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).is_active


def test_a_former_mentor_reads_nothing_of_the_centre_in_notifications(
    centre, mentor_user, centre_admin
):
    from kendra.notify import outbox

    mentee = ResidentFactory(centre=centre, full_name="Naveen Chauhan")
    outbox.enqueue(
        "message", slot="x", user=mentor_user, centre=centre, context={"body": mentee.full_name}
    )
    actions.deactivate(mentor_user, centre, centre_admin, "left")
    mentor_user.is_active = True  # even were they let back in
    mentor_user.save()
    client = Client()
    client.force_login(mentor_user)
    page = client.get(reverse("notifications")).content.decode()
    assert "Naveen" not in page


@pytest.mark.parametrize("size", [1, 8])
def test_a_persons_pages_cost_the_same_at_any_size(
    admin_client, centre, mentor_user, size, django_assert_max_num_queries
):
    mentor = make_mentor(centre, user=mentor_user, capacity=10)
    for _ in range(size):
        make_pairing(mentor, ResidentFactory(centre=centre))
    membership = Membership.objects.get(user=mentor_user)
    with django_assert_max_num_queries(9):
        assert admin_client.get(reverse("staff:person", args=[membership.pk])).status_code == 200
    with django_assert_max_num_queries(9):
        assert (
            admin_client.get(reverse("staff:deactivate", args=[membership.pk])).status_code == 200
        )


def test_messages_not_yet_sent_to_them_are_stopped(centre, counselor, centre_admin):
    from kendra.notify import outbox

    queued = outbox.enqueue("message", slot="y", user=counselor, centre=centre, channel="email")
    actions.deactivate(counselor, centre, centre_admin, "left")
    queued.refresh_from_db()
    assert queued.status == Notification.Status.FAILED
    assert "no longer" in queued.last_error


def test_a_known_person_is_invited_to_their_existing_account(admin_client, centre, other_centre):
    elsewhere = member(Role.COUNSELOR, other_centre, username="sunita", email="")
    Profile.objects.create(user=elsewhere, phone="+919829077777")
    invite(admin_client, centre, channel="email", phone="9829077777", email="sunita@example.in")
    invitation = StaffInvitation.objects.get()
    assert invitation.user == elsewhere
    assert Notification.objects.get(kind="staff_invitation").address == "sunita@example.in"


@pytest.mark.parametrize("size", [1, 10])
def test_the_invite_and_accept_pages_cost_the_same_at_any_size(
    admin_client, centre, size, django_assert_max_num_queries
):
    for n in range(size):
        invite(admin_client, centre, name=f"Person {n}", phone=f"98290{n:05d}")
    url = link_in(Notification.objects.filter(kind="staff_invitation").first())
    with django_assert_max_num_queries(7):
        assert admin_client.get(reverse("staff:invite", args=[centre.pk])).status_code == 200
    with django_assert_max_num_queries(3):
        assert Client().get(url).status_code == 200
