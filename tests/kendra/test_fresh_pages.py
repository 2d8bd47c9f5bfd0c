"""Pages are computed on every request: a write shows on the next request, nothing is shown
to another person, the access check and the audit record run every time, and nothing about
a resident is kept in the cache."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from groups.models import Attendance
from kendra.models import AuditEvent, Membership, Role
from kendra.notify import outbox
from tests.groups.factories import SessionFactory

pytestmark = pytest.mark.django_db


def main(html):
    return html.split('<main id="main"')[1].split("</main>")[0]


def log_url(session):
    return reverse("groups:session_log", args=[session.pk])


@pytest.fixture
def session(centre, counselor, peer_leader, resident):
    from tests.factories import ResidentFactory
    from tests.groups.factories import PeerGroupFactory, join

    group = PeerGroupFactory(
        centre=centre, name="CBT for cravings", facilitator=counselor, co_leader=peer_leader
    )
    join(group, resident, ResidentFactory(centre=centre, full_name="Amit Gupta"))
    return SessionFactory(group=group)


def test_a_saved_note_shows_on_the_next_request(as_user, counselor, session, resident):
    client = as_user(counselor)
    assert "Talked about his father." not in client.get(log_url(session)).text
    response = client.post(log_url(session), {f"note-{resident.pk}": "Talked about his father."})
    assert response.status_code == 302
    assert "Talked about his father." in client.get(log_url(session)).text


def test_a_write_in_the_centre_shows_on_the_next_request(as_user, counselor, session, resident):
    client = as_user(counselor)
    url = reverse("groups:detail", args=[session.group_id])
    client.get(url)
    resident.full_name = "Rahul Renamed"
    resident.save()
    assert "Rahul Renamed" in client.get(url).text


def test_a_counselors_page_is_never_shown_to_a_peer_leader(
    as_user, counselor, peer_leader, session, resident
):
    Attendance.objects.create(session=session, resident=resident, note="Spoke of his debts.")
    url = reverse("groups:session", args=[session.pk])
    assert "Spoke of his debts." in as_user(counselor).get(url).text
    html = as_user(peer_leader).get(url).text
    assert "Spoke of his debts." not in html


def test_a_revoked_membership_is_a_404_at_the_next_request(as_user, counselor, centre, session):
    client = as_user(counselor)
    assert client.get(log_url(session)).status_code == 200
    Membership.objects.filter(user=counselor).update(is_active=False)  # no signal
    assert client.get(log_url(session)).status_code == 404


def test_every_view_is_audited(as_user, counselor, resident):
    client = as_user(counselor)
    for _ in range(3):
        assert client.get(resident.get_absolute_url()).status_code == 200
    assert AuditEvent.objects.filter(action="resident.viewed", resident=resident).count() == 3


def test_a_message_is_shown_after_a_save(as_user, counselor, session, resident):
    client = as_user(counselor)
    client.get(log_url(session))
    client.get(log_url(session))
    response = client.post(log_url(session), {"walk_in": ""}, follow=True)
    assert "Session saved." in response.text


def test_nothing_about_a_resident_is_kept_in_the_cache(as_user, counselor, session, resident):
    redis = cache._cache.get_client()
    written = set(redis.keys("*"))  # only what these requests write is looked at
    Attendance.objects.create(session=session, resident=resident, note="Spoke of his debts.")
    client = as_user(counselor)
    assert "Spoke of his debts." in client.get(log_url(session)).text
    for url in (
        "/",
        resident.get_absolute_url(),
        reverse("groups:detail", args=[session.group_id]),
    ):
        assert client.get(url).status_code == 200
    written = set(redis.keys("*")) - written
    for key in written:
        raw = redis.dump(key) or b""
        assert b"Spoke of his debts." not in raw and resident.full_name.encode() not in raw
        assert b"kendra:page:" not in key and b"kendra:panel:" not in key


def test_a_form_posts_again_after_signing_in_again(counselor, session, resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(counselor)
    client.get(log_url(session))
    html = client.get(log_url(session)).text
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(log_url(session), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    # A new sign-in rotates the CSRF secret: the page carries a token of the new one.
    client.logout()
    client.force_login(counselor)
    html = client.get(log_url(session)).text
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert client.post(log_url(session), {"csrfmiddlewaretoken": token}).status_code == 302


def test_pages_render_when_the_cache_is_down(as_user, counselor, session, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache is down")

    for name in ("get", "get_many", "set", "set_many", "delete_many"):
        monkeypatch.setattr(cache, name, down)
    client = as_user(counselor)
    assert client.get(log_url(session)).status_code == 200
    assert client.get(log_url(session)).status_code == 200


def test_a_new_notification_shows_in_the_badge_at_once(as_user, counselor, session):
    client = as_user(counselor)
    assert "unread" not in client.get(log_url(session)).text
    outbox.enqueue("message", user=counselor, slot="t", context={"text": "Hello"}, link="/")
    assert "unread" in client.get(log_url(session)).text
    client.post(reverse("notifications_read"))
    assert "unread" not in client.get(log_url(session)).text


def test_the_family_schedule_closes_at_once_when_consent_is_withdrawn(
    as_user, family_user, centre, resident, counselor
):
    from families.models import FamilyMember
    from kendra.models import Consent

    Membership.objects.get_or_create(user=family_user, centre=centre, role=Role.FAMILY_MEMBER)
    FamilyMember.objects.create(user=family_user, resident=resident, relationship="mother")
    consent = Consent.objects.create(
        resident=resident,
        purpose=Consent.Purpose.FAMILY_SCHEDULE,
        grantee=family_user,
        given_by=counselor,
    )
    client = as_user(family_user)
    url = reverse("families:schedule")
    client.get(url)
    assert 'id="no-access"' not in client.get(url).text
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at="2026-01-01T00:00Z")  # no signal
    assert 'id="no-access"' in client.get(url).text
