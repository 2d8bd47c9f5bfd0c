"""The hostile-input run (tests/security/test_hostile_input.py) fuzzes the forms each role
reaches by crawling from home: the staff and settings forms must be among the admin's."""

import os
from urllib.parse import urlparse

from django.core.management import call_command
from django.urls import resolve, reverse

from ..security.crawl import role_forms

STAFF_FORMS = {
    "staff:invite",
    "staff:centre_settings",
    "staff:person",
    "staff:deactivate",
    "staff:invitation_cancel",
}


def test_the_centre_admins_crawl_reaches_every_staff_form(client, db, django_user_model):
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    admin = django_user_model.objects.get(username="admin")
    client.force_login(admin)
    response = client.post(  # an open invitation, so its cancel form is on the list
        reverse("staff:invite", args=[admin.memberships.first().centre_id]),
        {"name": "Farah Khan", "role": "counselor", "phone": "9829011111", "channel": "sms"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    _, forms = role_forms(client, "admin")  # as the hostile-input run finds them
    reached = {resolve(urlparse(f.action).path).view_name for f in forms}
    assert STAFF_FORMS <= reached, STAFF_FORMS - reached
