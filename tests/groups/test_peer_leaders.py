"""Peers lead circles: a peer leader opens, logs (attendance and mood), signs and locks the
sharing circles and activity sessions they lead — as the group's co-leader or a session's
stand-in — and is refused group therapy; a counselor co-signs."""

import pytest
from django.urls import reverse

from groups.models import Attendance, Kind
from kendra.models import Role
from tests.factories import member

from .factories import PeerGroupFactory, SessionFactory, join


@pytest.fixture
def circle(centre, counselor, peer_leader, roster):
    group = PeerGroupFactory(
        centre=centre,
        name="Morning sharing circle",
        kind=Kind.CIRCLE,
        format="",
        facilitator=counselor,
        co_leader=peer_leader,
    )
    join(group, *roster)
    return SessionFactory(group=group)


def test_a_peer_leader_logs_and_locks_their_circle(as_user, peer_leader, counselor, circle, roster):
    client = as_user(peer_leader)
    log = reverse("groups:session_log", args=[circle.pk])
    page = client.get(log).text
    assert 'name="note-' not in page  # a circle keeps attendance and mood only
    amit = roster[1]
    data = {f"status-{amit.pk}": "absent", f"mood-{roster[0].pk}": "4", "sign": "1"}
    assert client.post(log, data).status_code == 302
    circle.refresh_from_db()
    assert circle.status == "held" and circle.signed_by == peer_leader
    assert Attendance.objects.get(session=circle, resident=amit).status == "absent"
    assert Attendance.objects.get(session=circle, resident=roster[0]).mood == 4
    # Locked: a later change is refused.
    client.post(log, {f"status-{amit.pk}": "present"})
    assert Attendance.objects.get(session=circle, resident=amit).status == "absent"
    # A counselor co-signs.
    cosign = reverse("groups:session_cosign", args=[circle.pk])
    assert client.post(cosign).status_code == 403
    as_user(counselor).post(cosign)
    circle.refresh_from_db()
    assert circle.cosigned_by == counselor


def test_a_peer_leader_is_refused_group_therapy(as_user, peer_leader, session, roster):
    assert session.group.kind == Kind.THERAPY and session.group.co_leader == peer_leader
    client = as_user(peer_leader)
    assert client.get(reverse("groups:session", args=[session.pk])).status_code == 200
    for name in ("session_log", "session_sign", "session_mark"):
        response = client.post(reverse(f"groups:{name}", args=[session.pk]), {})
        assert response.status_code == 403, name
    assert not Attendance.objects.filter(session=session).exists()


def test_a_stand_in_leads_one_session_of_a_circle_they_do_not_co_lead(
    as_user, centre, counselor, circle, roster
):
    standin = member(Role.PEER_LEADER, centre, username="meena")
    log = reverse("groups:session_log", args=[circle.pk])
    assert as_user(standin).get(log).status_code == 403
    lead = reverse("groups:session_lead", args=[circle.pk])
    assert as_user(counselor).post(lead, {"stand_in": standin.pk}).status_code == 302
    client = as_user(standin)  # one test client: signed in as the stand-in again
    assert client.get(log).status_code == 200
    assert client.post(log, {"sign": "1"}).status_code == 302
    circle.refresh_from_db()
    assert circle.signed_by == standin


def test_the_peer_leaders_home_lists_their_circles_today(as_user, peer_leader, circle, session):
    page = as_user(peer_leader).get(reverse("home")).text
    assert "Your circles today" in page
    assert "Morning sharing circle" in page
    assert "CBT for cravings" not in page  # therapy: the counselor's
