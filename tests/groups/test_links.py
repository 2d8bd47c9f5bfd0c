"""The link where people look: a session's or meeting's online link on the session page,
today's lists on staff homes, the family schedule (from 30 minutes before the start until
the end — tests/families/test_link_window.py), never a link that is not http(s)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from groups.models import Kind

from .factories import PeerGroupFactory, SessionFactory

LINK = "https://meet.example.in/abc-defg"


def test_staff_see_the_link_on_the_session_page_and_todays_lists(
    as_user, counselor, peer_leader, centre
):
    group = PeerGroupFactory(
        centre=centre, kind=Kind.CIRCLE, format="", facilitator=counselor, co_leader=peer_leader
    )
    now = timezone.now()
    session = SessionFactory(group=group, start=now + dt.timedelta(minutes=5), meeting_link=LINK)
    for user in (counselor, peer_leader):
        client = as_user(user)
        assert LINK in client.get(reverse("groups:session", args=[session.pk])).text
        assert LINK in client.get(reverse("groups:today")).text
    # Without its own link the session shows its group's.
    session.meeting_link = ""
    session.save()
    group.meeting_link = "https://meet.example.in/group"
    group.save()
    assert "https://meet.example.in/group" in as_user(counselor).get(reverse("home")).text


def test_a_session_link_that_is_not_a_web_address_is_refused(as_user, counselor, session):
    url = reverse("groups:session_lead", args=[session.pk])
    for link in ("ftp://files.example.in/x", "javascript:alert(1)"):
        page = as_user(counselor).post(url, {"meeting_link": link})
        assert page.status_code == 400
        assert "The online link must start with https:// or http://" in page.text
    session.refresh_from_db()
    assert session.meeting_link == ""
