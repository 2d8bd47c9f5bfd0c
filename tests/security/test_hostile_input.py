"""Random and hostile values posted to every form a role can reach: no 500, nothing stored
from a refused form, and user text always escaped where it is shown.

Forms are found by crawling from each demo role's home page, so a form added later is
covered without touching this file.
"""

import os
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .crawl import crawl, role_forms

ROLES = ["counselor", "peerleader", "mentor", "coordinator", "family", "admin"]
SCRIPT = "<script>alert('kendra')</script>"
HOSTILE = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE kendra_resident; --",
    "1 OR 1=1",
    "x" * 10000,
    "",
    " ",
    "-1",
    "99999999999999999999",
    "0",
    "NaN",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "../../etc/passwd",
    "\u202e\u0000evil",
    "नमस्ते 🙏",
    "%(name)s {{ secret }}",
    "null",
    "[]",
]
NOT_COUNTED = {"auditevent", "session", "accessattempt", "accesslog", "accessfailurelog"}


def hostile_value():
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=300),
        st.integers(min_value=-(10**12), max_value=10**12).map(str),
        st.dates().map(lambda d: d.isoformat()),
    )


def row_counts():
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.model_name not in NOT_COUNTED and not m._meta.model_name.startswith("historical")
    }


def is_destructive(form):
    return any(word in form.action for word in ("logout", "language", "read"))


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


def fuzz(client, form, examples=10):
    """Post `examples` hostile value sets to one form; returns how many were posted."""
    names = [
        n for n, (kind, _, _) in form.fields.items() if kind not in {"submit", "hidden", "file"}
    ]
    hidden = {n: v for n, (kind, v, _) in form.fields.items() if kind == "hidden" and v}
    posted = []

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.fixed_dictionaries({n: hostile_value() for n in names}))
    def post(values):
        data = {**hidden, **values}
        before = row_counts()
        response = client.post(form.action, data)
        posted.append(1)
        assert response.status_code < 500, (form.action, data)
        if response.status_code == 200:
            # The form came back with errors: nothing may have been written.
            assert row_counts() == before, (form.action, data)
        assert SCRIPT not in response.content.decode(errors="replace")

    post()
    return len(posted)


def test_hostile_input_to_every_form(demo, client, django_user_model):
    tried = forms_seen = 0
    for username in ROLES:
        client.force_login(django_user_model.objects.get(username=username))
        forms = role_forms(client, username)
        # One form per URL pattern and role: the same form on forty residents is one form.
        for form in {(resolve(urlparse(f.action).path).view_name): f for f in forms}.values():
            if not is_destructive(form):
                forms_seen += 1
                tried += fuzz(client, form)
    assert forms_seen >= 3 and tried >= 18
    print(f"\nhostile inputs tried: {tried} on {forms_seen} forms")


def test_user_text_is_escaped_where_it_is_shown(demo, client, django_user_model):
    from kendra.models import Resident

    resident = Resident.objects.filter(centre__name__contains="Jaipur").first()
    resident.preferred_name = SCRIPT
    resident.save()
    for username in ROLES:
        client.force_login(django_user_model.objects.get(username=username))
        seen, _, _ = crawl(client, limit=60)
        for url, status in seen.items():
            if status == 200:
                assert SCRIPT not in client.get(url).content.decode(), url
