"""Hostile values sent to every form and query-string parameter a role can reach: no
answer ≥ 500, nothing stored from a refused form, and user text always escaped.

Forms and pages are found by crawling from each demo role's home page, so a form added
later is covered without touching this file. The sweep is deterministic where it matters:
every field of every form (and every parameter of every list, report and export page) meets
every value of HOSTILE at least once while the other fields hold valid values; random
rounds drawn by Hypothesis run on top. Each submission runs in a savepoint that is rolled
back, so one submission never changes what the next one meets.

Cost: each role is its own test, so the six run side by side under pytest-xdist, on demo
data seeded once per worker (the `seeded` fixture, rolled back at the end). HOSTILE holds one
value per code path (a second value through the same parser and check adds time, not
coverage). What counts as one: `mood_12` and `mood_13` are one field on two residents' rows;
the 10 MB body goes once per form (Django refuses it before any field is read). The tally
of all roles is printed in pytest's summary (tests/security/conftest.py).
"""

import datetime as dt
import os
import re
import time
from urllib.parse import parse_qsl, urlparse

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .crawl import crawl, role_forms

ROLES = ["counselor", "peerleader", "mentor", "coordinator", "family", "admin"]
SCRIPT = "<script>alert('kendra')</script>"
# 10 MB: more than a request may carry. Django refuses such a body before any field is
# read (a 400), whichever field holds it, so each form gets it once, not once per field.
# A URL carries at most a few KB through the web server (gunicorn's request line limit
# is 4 KB): query strings meet the 10,000 characters of HOSTILE instead.
BIG_BODY = "x" * (10 * 1024 * 1024)
# One value per code path a field can take: a second value that meets the same parser
# and the same check adds time, not coverage (the table in the docstring above says which
# value stands for which). Hypothesis' random rounds draw from a wider range on top.
HOSTILE = [
    SCRIPT,  # markup: escaped wherever it is shown
    '"><img src=x onerror=alert(1)>',  # breaks out of a quoted attribute where it is shown
    "'; DROP TABLE kendra_resident; --",  # SQL text: parameters, never string-built
    "x" * 10000,  # longer than any field
    "",  # blank (a lone space is stripped to this by every form field)
    "-1",  # negative
    "0",  # zero ("-0" parses to it)
    "9" * 23,  # more digits than any decimal or integer column holds
    str(2**63),  # one past the largest bigint (as "99999999999999999999" is)
    str(-(2**63) - 1),  # one below the smallest
    "1e309",  # a float too large: inf
    "NaN",
    "2026-02-30",  # a date that does not exist ("0000-00-00", "10000-01-01" alike)
    "9999-12-31",  # the last date: adding a day overflows
    "0001-01-01",  # the first date: taking a day off underflows
    "../../etc/passwd",
    "\u202e\u0000evil",  # NUL behind a direction override
    "ken\x00dra",  # NUL inside text (PostgreSQL refuses NUL anywhere in a text)
    "4\x002",  # NUL inside a number
    "Rahul \u202eامرش\u202c 42",  # mixed-direction text: Latin, an override, Arabic
    "नमस्ते 🙏",  # Devanagari and a character outside the BMP
    "%(name)s {{ secret }}",  # format and template syntax
    "null",
    "[]",
]
SENT_AS_IS = {"submit", "file"}  # and the CSRF token, below
NOT_COUNTED = {"auditevent", "session", "accessattempt", "accesslog", "accessfailurelog"}
PER_PATTERN = 2  # pages visited per URL pattern: two residents' pages stand for forty
# (form pairs, parameter pairs) each role sweeps in full: fewer would mean the crawl lost
# its way (a sweep that silently shrank). About four fifths of what the demo data gives
# (3543/598, 489/92, 0/0, 791/253, 0/0, 695/138: 5518 + 1081 in all, where the 33 values
# before gave 7898 + 1551 on the same 98 forms and 35 pages). The mentor's one form and
# pages are the counselor's; the family member's pages have no form or parameter.
MIN_PAIRS = {
    "counselor": (2800, 480),
    "peerleader": (390, 70),
    "mentor": (0, 0),
    "coordinator": (630, 200),
    "family": (0, 0),
    "admin": (550, 110),
}


def hostile_value():
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=300),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        st.dates().map(lambda d: d.isoformat()),
    )


def counted_tables():
    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.model_name not in NOT_COUNTED
        and not m._meta.model_name.startswith("historical")
        and m._meta.managed
        and not m._meta.proxy
    )


def rows_written():
    """How many rows of the counted tables this transaction has inserted, updated or
    deleted so far (PostgreSQL's own tally: one cheap query, however big the tables)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)",
            [counted_tables()],
        )
        return cursor.fetchone()[0]


def is_destructive(form):
    return any(word in form.action for word in ("logout", "language", "read"))


def view_name(url):
    try:
        return resolve(urlparse(url).path).view_name
    except Resolver404:
        return None


def distinct(names):
    """One name per field: `mood_12` and `mood_13` are one field on two residents' rows."""
    by_field = {}
    for name in names:
        if name == "csrfmiddlewaretoken":
            continue
        by_field.setdefault(re.sub(r"\d+", "#", name), name)
    return list(by_field.values())


def valid_value(kind, value, options, attrs):
    """A value the field would accept, so a hostile value elsewhere reaches deep."""
    if kind in {"select", "radio"}:
        return next((o for o in options if o), "")
    if kind == "checkbox":
        return None  # unticked
    if value:
        return value
    now = dt.datetime.now()
    by_kind = {
        "date": now.date().isoformat(),
        "time": "10:00",
        "datetime-local": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "number": attrs.get("min") or "30",
        "email": "asha@example.org",
        "url": "https://example.org/meet",
        "tel": "9876543210",
        "password": "Kendra-pass-2026!",
    }
    return by_kind.get(kind, "Asha Devi")


def baseline(form):
    """{name: value} for every field but the buttons: hidden values kept, others valid."""
    data = {}
    for name, (kind, value, options) in form.fields.items():
        if kind in {"submit", "file"}:
            continue
        if kind == "hidden":
            chosen = value or ""
        else:
            chosen = valid_value(kind, value, options, form.attrs.get(name, {}))
        if chosen is not None:
            data[name] = chosen
    return data


class Sweep:
    """Sends requests inside rolled-back savepoints and keeps what went wrong."""

    def __init__(self, client):
        self.client, self.failures, self.sent = client, [], 0

    def send(self, method, url, data, what):
        self.sent += 1
        with transaction.atomic():
            before = rows_written()
            try:
                response = getattr(self.client, method)(url, data)
            except Exception as error:  # a crash: the test client re-raises it
                self.failures.append((what, f"{type(error).__name__}: {str(error)[:200]}"))
                transaction.set_rollback(True)
                return
            if response.status_code >= 500:
                self.failures.append((what, response.status_code))
            elif method == "post" and response.status_code == 200 and rows_written() != before:
                self.failures.append((what, "a refused form wrote rows"))
            if SCRIPT in response.content.decode(errors="replace"):
                self.failures.append((what, "script shown unescaped"))
            transaction.set_rollback(True)

    def fields(self, method, url, data, names, values):
        """Every name meets every value, the rest of `data` staying as it is."""
        pairs = 0
        for name in names:
            for value in values:
                self.send(method, url, {**data, name: value}, (url, name, value[:40]))
                pairs += 1
        return pairs

    def random(self, url, data, names, examples=10):
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.fixed_dictionaries({n: hostile_value() for n in names}))
        def post(values):
            self.send("post", url, {**data, **values}, (url, "random", str(values)[:80]))

        post()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo data, made once for this module's tests and rolled back after them (the
    tests' own transactions are savepoints inside this one, as in Django's TestCase)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    pass


def reach(client, user):
    """What `user` reaches: (pages seen, POST forms, GET forms, links not visited)."""
    client.force_login(user)
    get_forms, skipped = [], []
    options = {"get_forms": get_forms, "skipped": skipped, "per_pattern": PER_PATTERN}
    seen, forms = role_forms(client, user.username, limit=150, **options)
    return seen, forms, get_forms, skipped


def form_key(form):
    names = distinct([n for n, (kind, *_) in form.fields.items() if kind not in SENT_AS_IS])
    return view_name(form.action), tuple(names)


# username -> the keys of what that role sweeps: (view, fields) of its forms, (view,
# parameter) of its pages. Names only, no ids, so they stay right whatever the seed; kept
# for this worker process, so each role is crawled at most once per worker.
KEYS = {}


def keys_of(seen, forms, get_forms, skipped):
    keys = {form_key(f) for f in forms if not is_destructive(f)}
    for url, _, names in parameters(seen, skipped, get_forms):
        keys.update((view_name(url), n) for n in names)
    return keys


def swept_before(client, username, django_user_model):
    """The forms and parameters the roles before `username` in ROLES sweep in full (their
    crawl, which is cheap next to the sweep): this role meets those with random rounds
    only, as when the six roles were one test (the code behind them is the same)."""
    swept = set()
    for earlier in ROLES[: ROLES.index(username)]:
        if earlier not in KEYS:
            user = django_user_model.objects.get(username=earlier)
            KEYS[earlier] = keys_of(*reach(client, user))
        swept |= KEYS[earlier]
    return swept


@pytest.mark.parametrize("username", ROLES)
def test_hostile_input_to_every_form_and_parameter(
    username, demo, client, django_user_model, record_tally
):
    """One role's forms and pages: one test per role, so the six run side by side under
    xdist; what an earlier role sweeps in full this one meets with random rounds only."""
    started = time.monotonic()
    form_pairs = param_pairs = forms_seen = pages_seen = 0
    swept = swept_before(client, username, django_user_model)
    seen, forms, get_forms, skipped = reach(
        client, django_user_model.objects.get(username=username)
    )
    KEYS[username] = keys_of(seen, forms, get_forms, skipped)
    sweep = Sweep(client)
    # One form per URL pattern: the same form on forty residents is one form.
    for form in {view_name(f.action): f for f in forms}.values():
        if is_destructive(form):
            continue
        forms_seen += 1
        data = baseline(form)
        key = form_key(form)
        names = list(key[1])
        if key not in swept:
            swept.add(key)
            form_pairs += sweep.fields("post", form.action, data, names, HOSTILE)
            if names:
                what = (form.action, "10 MB")
                sweep.send("post", form.action, {**data, names[0]: BIG_BODY}, what)
                form_pairs += 1
        sweep.random(form.action, data, names)
    for url, data, names in parameters(seen, skipped, get_forms):
        pages_seen += 1
        fresh = [n for n in names if (view_name(url), n) not in swept]
        swept.update((view_name(url), n) for n in fresh)
        param_pairs += sweep.fields("get", url, data, fresh, HOSTILE)
    tally = {
        "form_pairs": form_pairs,
        "param_pairs": param_pairs,
        "forms": forms_seen,
        "pages": pages_seen,
        "seconds": time.monotonic() - started,
        "failures": len(sweep.failures),
    }
    record_tally(username, tally)
    print(f"\nhostile sweep as {username}: {tally}")
    assert not sweep.failures, "\n".join(map(str, sorted(set(sweep.failures), key=str)))
    floor = MIN_PAIRS[username]
    assert form_pairs >= floor[0] and param_pairs >= floor[1], (username, tally)


def parameters(seen, skipped, get_forms):
    """(url, valid params, names to try) for each list, report and export page reached.

    A page's parameters are those its links carry and those its GET forms send; a page
    with any of them is a list or report, so `page` is tried too.
    """
    pages = {}
    for link in [u for u, status in seen.items() if status == 200] + skipped:
        parts = urlparse(link)
        entry = pages.setdefault(view_name(link), [parts.path, {}])
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            entry[1].setdefault(name, value)
    for form in get_forms:
        entry = pages.setdefault(view_name(form.action), [urlparse(form.action).path, {}])
        for name, value in baseline(form).items():
            if name != "csrfmiddlewaretoken":
                entry[1].setdefault(name, value)
    for name, (path, data) in pages.items():
        if name is None or name.startswith("admin:") or not data:
            continue
        data.pop("page", None)
        yield path, dict(data), sorted(data) + ["page"]


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
