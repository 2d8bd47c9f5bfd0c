"""The "Never" list, for every URL the project has — now and later.

The URL resolver is walked at collection time, so a page added by any app is tested
here without anyone remembering to. A family member (consent in force: the most
access they can ever have) must get 403 or 404 from every staff URL — or a redirect
to a sign-in page — whatever object ids are put in the path: their own resident's,
another family's in the same centre, or another centre's.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from .conftest import make_meeting

# What a family member may open: their own pages, sign-in/out, language, their own
# notifications, and the token links (which check the token themselves).
FAMILY_MAY_OPEN = {
    "home",
    "login",
    "logout",
    "switch_language",
    "notifications",
    "notifications_read",
    "families:schedule",
    "families:calendar",
    "families:calendar_reset",
    "families:meeting_answer",  # POST only: their own family's meetings (404 otherwise)
    "families:feed",
    "families:accept",
    "admin:login",
    "admin:logout",
}
SIGN_IN_PAGES = {"login", "admin:login"}
UNNAMED_PUBLIC = {"favicon.ico"}  # a redirect to a static file

ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + route, ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else ""
            yield prefix + route, name


def all_patterns():
    seen = {}
    for route, name in _walk(get_resolver().url_patterns):
        seen.setdefault((route, name), None)
    return list(seen)


def fill(route, value):
    """A concrete path for `route`, with every parameter set to `value`."""

    def regex_value(match):
        body = match.group("body")
        if "|" in body:  # e.g. admin's (?P<app_label>auth|kendra|…)
            return body.strip("^$()").split("|")[0]
        return str(value)

    path = ROUTE_PARAM.sub(lambda m: str(value), route)
    path = REGEX_GROUP.sub(regex_value, path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


def has_params(route):
    return bool(ROUTE_PARAM.search(route) or REGEX_GROUP.search(route))


PATTERNS = all_patterns()


@pytest.fixture
def ids(family, resident, family_user, other_family, foreign):
    own_meeting = make_meeting(group=family)
    own_session = make_meeting(resident=resident, days=4)
    other_session = make_meeting(resident=other_family["resident"])
    other_meeting = make_meeting(group=other_family["group"])
    values = {
        resident.pk,
        family.pk,
        own_meeting.pk,
        own_session.pk,
        family_user.family_links.get().pk,
        other_family["resident"].pk,
        other_family["group"].pk,
        other_meeting.pk,
        other_session.pk,
        other_family["user"].family_links.get().pk,
        foreign["resident"].pk,
        foreign["group"].pk,
        foreign["meeting"].pk,
        foreign["user"].family_links.get().pk,
        family_user.pk,
        resident.centre_id,
        foreign["resident"].centre_id,
    }
    return sorted(values)


def _is_sign_in_redirect(response):
    if response.status_code not in (301, 302):
        return False
    try:
        match = resolve(urlsplit(response["Location"]).path)
    except Resolver404:
        return False
    return match.view_name in SIGN_IN_PAGES


def test_it_found_the_projects_url_patterns():
    names = {name for _, name in PATTERNS}
    assert {"families:groups", "families:schedule", "resident_detail"} <= names
    assert any(name.startswith("admin:") for name in names)


@pytest.mark.parametrize(
    "route, name", [p for p in PATTERNS if p[1] not in FAMILY_MAY_OPEN], ids=lambda v: v
)
def test_it_refuses_every_staff_url_to_a_family_member(as_user, family_user, ids, route, name):
    if route in UNNAMED_PUBLIC:
        pytest.skip("a static redirect")
    client = as_user(family_user)
    values = ids if has_params(route) else [None]
    for value in values:
        path = fill(route, value)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            ok = response.status_code in (403, 404, 405) or _is_sign_in_redirect(response)
            assert ok, f"{method.upper()} {path} ({name}) answered {response.status_code}"
        # A view that only takes POST must still refuse it, not just refuse GET.
        assert client.post(path).status_code != 405 or client.get(path).status_code != 405


@pytest.mark.parametrize("route, name", [p for p in PATTERNS if p[1] in FAMILY_MAY_OPEN])
def test_it_keeps_other_families_out_of_the_pages_a_family_member_may_open(
    as_user, family_user, ids, other_family, foreign, route, name
):
    if has_params(route):
        pytest.skip("token links are tested in test_feed and test_invitations")
    make_meeting(group=other_family["group"], topic="Spouses only topic")
    response = as_user(family_user).get(fill(route, None))
    assert response.status_code < 500
    text = response.content.decode(errors="ignore")
    for secret in (
        other_family["resident"].full_name,
        other_family["group"].name,
        "Spouses only topic",
        foreign["resident"].full_name,
        foreign["group"].name,
    ):
        assert secret not in text, f"{name} shows {secret}"
