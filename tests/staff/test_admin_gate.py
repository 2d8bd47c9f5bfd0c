"""Django admin is for the installation's operators only: centre admins work in Kendra."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from kendra.models import Role

from ..factories import member

ADMIN_PAGES = ["/admin/", "/admin/kendra/resident/", "/admin/families/familygroup/add/"]


@pytest.mark.parametrize("role", [r for r in Role.values])
def test_it_refuses_the_django_admin_to_every_role(client, centre, role):
    client.force_login(member(role, centre, username=f"x-{role}", is_staff=True))
    for path in ADMIN_PAGES:
        response = client.get(path, follow=True)
        assert response.status_code == 403, path
        assert b"Django administration" not in response.content


def test_it_refuses_the_demo_centre_admin(client, db):
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    admin = get_user_model().objects.get(username="admin")
    assert not admin.is_staff
    client.force_login(admin)
    assert client.get("/admin/", follow=True).status_code == 403
    assert client.post("/admin/login/", {"username": "admin", "password": "x"}).status_code == 403


def test_it_still_opens_for_a_superuser(client, centre):
    root = get_user_model().objects.create_superuser("root", "root@example.in", "pw-for-tests")
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/kendra/resident/").status_code == 200
    assert client.get("/admin/staff/staffinvitation/").status_code == 200


def test_anonymous_people_get_the_operators_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
