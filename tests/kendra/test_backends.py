"""The signed-in person is loaded with their memberships in one query (kendra/backends.py)."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kendra.models import Membership, Role
from tests.factories import UserFactory


def _sign_in(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": "pw-for-tests"}
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "kendra.backends.MembershipBackend"


def test_a_page_reads_the_memberships_with_the_user(client, counselor, resident):
    _sign_in(client, counselor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("resident_detail", args=[resident.pk])).status_code == 200
    sql = [q["sql"] for q in queries]
    user_query = [s for s in sql if s.startswith('SELECT "auth_user"')]
    assert len(user_query) == 1 and '"kendra_membership"' in user_query[0]
    assert not [s for s in sql if s.startswith('SELECT "kendra_membership"')]


def test_a_revoked_membership_counts_at_the_next_request(client, counselor, resident):
    _sign_in(client, counselor)
    page = reverse("resident_detail", args=[resident.pk])
    assert client.get(page).status_code == 200

    Membership.objects.filter(user=counselor).update(is_active=False)

    assert client.get(page).status_code == 404


def test_roles_in_several_centres_and_none(client, counselor, centre, other_centre):
    from kendra import access
    from kendra.backends import MembershipBackend

    Membership.objects.create(user=counselor, centre=other_centre, role=Role.PEER_LEADER)
    Membership.objects.create(user=counselor, centre=centre, role=Role.CENTRE_ADMIN)
    loaded = MembershipBackend().get_user(counselor.pk)
    assert access.roles_by_centre(loaded) == {
        centre.pk: {Role.COUNSELOR, Role.CENTRE_ADMIN},
        other_centre.pk: {Role.PEER_LEADER},
    }
    nobody = UserFactory()
    assert access.roles_by_centre(MembershipBackend().get_user(nobody.pk)) == {}
    assert MembershipBackend().get_user(10**9) is None
    nobody.is_active = False
    nobody.save()
    assert MembershipBackend().get_user(nobody.pk) is None
