"""The access trio for every page: counselor of the centre / peer leader / outsider."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance

from .factories import PeerGroupFactory, SessionFactory


def YESTERDAY():  # noqa: N802
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def TOMORROW():  # noqa: N802
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


GROUP_VIEW = ["groups:detail"]
GROUP_MANAGE = [
    "groups:edit",
    "groups:archive",
    "groups:member_add",
    "groups:session_create",
]
SESSION_VIEW = ["groups:session", "groups:session_sheet"]
SESSION_COUNSELOR = [
    "groups:session_log",
    "groups:session_sign",
    "groups:session_addendum",
    "groups:session_cancel",
]


def _url(name, group, session):
    if name.startswith("groups:session") and name != "groups:session_create":
        return reverse(name, args=[session.pk])
    return reverse(name, args=[group.pk])


@pytest.mark.parametrize("name", GROUP_VIEW + GROUP_MANAGE + SESSION_VIEW + SESSION_COUNSELOR)
def test_it_lets_the_counselor_open_every_page(as_user, counselor, group, session, name):
    assert as_user(counselor).get(_url(name, group, session)).status_code == 200


@pytest.mark.parametrize("name", GROUP_VIEW + SESSION_VIEW)
def test_it_shows_a_peer_leader_their_groups_rosters(as_user, peer_leader, group, session, name):
    assert as_user(peer_leader).get(_url(name, group, session)).status_code == 200


@pytest.mark.parametrize("name", GROUP_MANAGE + SESSION_COUNSELOR)
def test_it_forbids_a_peer_leader_to_manage_or_log(as_user, peer_leader, group, session, name):
    assert as_user(peer_leader).get(_url(name, group, session)).status_code == 403


def test_it_forbids_a_peer_leader_someone_elses_group(as_user, peer_leader, centre):
    other = PeerGroupFactory(centre=centre)
    session = SessionFactory(group=other)
    client = as_user(peer_leader)
    assert client.get(reverse("groups:detail", args=[other.pk])).status_code == 403
    assert client.get(reverse("groups:session", args=[session.pk])).status_code == 403
    assert other.name not in client.get(reverse("groups:list")).text


@pytest.mark.parametrize("name", GROUP_VIEW + GROUP_MANAGE + SESSION_VIEW + SESSION_COUNSELOR)
def test_it_hides_every_page_from_other_centres_with_404(as_user, outsider, group, session, name):
    assert as_user(outsider).get(_url(name, group, session)).status_code == 404


@pytest.mark.parametrize("name", GROUP_VIEW + SESSION_VIEW + SESSION_COUNSELOR)
def test_it_keeps_family_members_out(as_user, family_user, group, session, name):
    assert as_user(family_user).get(_url(name, group, session)).status_code == 404


@pytest.mark.parametrize("name", GROUP_VIEW + SESSION_VIEW)
def test_it_forbids_a_mentor_of_the_centre(as_user, mentor_user, group, session, name):
    assert as_user(mentor_user).get(_url(name, group, session)).status_code == 403


@pytest.mark.parametrize("name", ["groups:list", "groups:today", "groups:register"])
def test_it_guards_the_list_pages(as_user, counselor, family_user, mentor_user, name):
    assert as_user(counselor).get(reverse(name)).status_code == 200
    assert as_user(family_user).get(reverse(name)).status_code == 403
    assert as_user(mentor_user).get(reverse(name)).status_code == 403


def test_it_lists_only_own_centre_groups(as_user, outsider, group):
    page = as_user(outsider).get(reverse("groups:list")).text
    assert group.name not in page


def test_it_refuses_posts_from_other_centres(as_user, outsider, group, session):
    client = as_user(outsider)
    for url in [
        reverse("groups:generate", args=[group.pk]),
        reverse("groups:session_mark", args=[session.pk]),
        reverse("groups:session_log", args=[session.pk]),
    ]:
        assert client.post(url, {}).status_code == 404
    assert not Attendance.objects.exists()


def test_it_lets_a_centre_admin_read_notes_but_not_log(as_user, centre_admin, session, roster):
    Attendance.objects.create(session=session, resident=roster[0], note="Secret craving talk")
    client = as_user(centre_admin)
    assert "Secret craving talk" in client.get(reverse("groups:session", args=[session.pk])).text
    assert client.get(reverse("groups:session_log", args=[session.pk])).status_code == 403


def test_it_never_shows_a_peer_leader_a_note(as_user, peer_leader, group, session, roster):
    Attendance.objects.create(
        session=session, resident=roster[0], status="absent", note="Secret craving talk"
    )
    session.group_note = "Secret group discussion"
    session.status = "held"
    session.save()
    client = as_user(peer_leader)
    pages = [
        client.get(reverse("groups:session", args=[session.pk])),
        client.get(reverse("groups:session_sheet", args=[session.pk])),
        client.get(reverse("groups:detail", args=[group.pk])),
        client.get(reverse("groups:register"), {"date_from": YESTERDAY(), "date_to": TOMORROW()}),
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        assert "Secret craving talk" not in text and "Secret group discussion" not in text
        assert "Individual note" not in text and "Group note" not in text
    assert "Absent" in pages[0].content.decode()
    assert "Absent" in pages[3].content.decode()  # the CSV register has the attendance
