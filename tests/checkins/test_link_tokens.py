"""Personal check-in links are stored hashed (issue 19): a fresh link is made for each
message at send time and exists only in the message; the outbox row, the staff page and
the resident's export keep no live link; links rotate on discharge."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from checkins import tasks as tasks_module
from checkins.models import CheckinLink
from kendra.models import AuditEvent
from kendra.notify import tasks
from kendra.notify.models import Notification
from kendra.notify.transports import ConsoleSmsTransport, EmailTransport

from .conftest import at, make_plan

LINK = re.compile(r"/checkins/c/([A-Za-z0-9_\-]+)/")


def live_tokens(text):
    return [t for t in LINK.findall(text or "") if CheckinLink.live(t) is not None]


@pytest.fixture
def handed(monkeypatch):
    """What the SMS and email transports are handed, in place of sending it."""
    out = []
    monkeypatch.setattr(ConsoleSmsTransport, "send", lambda self, n: out.append(n))
    monkeypatch.setattr(EmailTransport, "send", lambda self, n: out.append(n))
    return out


def tick_and_send(now, no_broker):
    from checkins import reminders

    with time_machine.travel(now, tick=False):
        written = reminders.write_due_checkin_reminders(now)
        tasks.send_notifications(list(Notification.objects.values_list("pk", flat=True)))
    return written


def test_the_sent_message_has_a_live_link_and_the_outbox_row_none(
    centre, no_broker, handed, django_capture_on_commit_callbacks
):
    plan = make_plan(centre, due=at("2026-11-22 09:00"))
    email_plan = make_plan(centre, due=at("2026-11-22 09:00"), channel="email")
    email_plan.resident.email = "amit@example.in"
    email_plan.resident.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert tick_and_send(at("2026-11-22 09:00"), no_broker) == 2
    assert sorted(n.status for n in Notification.objects.all()) == ["sent", "sent"]
    by_plan = {}
    for sent in handed:
        [token] = live_tokens(sent.body)
        by_plan[CheckinLink.live(token).plan] = sent
        assert "{link}" not in sent.body + sent.body_html
        if sent.body_html:
            assert live_tokens(sent.body_html) == [token]
    assert set(by_plan) == {plan, email_plan}
    for n in Notification.objects.all():
        assert "{link}" in n.body and not LINK.search(n.body + n.body_html + n.link + n.subject)
    assert not CheckinLink.objects.filter(
        token_hash__in=[t for s in handed for t in LINK.findall(s.body)]
    )


def test_a_fan_out_makes_its_links_in_a_bounded_number_of_queries(
    centre, no_broker, handed, django_assert_max_num_queries
):
    for _ in range(30):
        make_plan(centre, due=at("2026-11-22 09:00"))
    from checkins import reminders

    reminders.write_due_checkin_reminders(at("2026-11-22 09:00"))
    rows = list(Notification.objects.all())
    with django_assert_max_num_queries(2):
        links = reminders.links_for_rows(rows)
    assert len(links) == 30 and len({live_tokens(v)[0] for v in links.values()}) == 30


def test_a_retry_sends_a_working_link_again(centre, no_broker, handed):
    plan = make_plan(centre, due=at("2026-11-22 09:00"))
    tick_and_send(at("2026-11-22 09:00"), no_broker)
    n = Notification.objects.get()
    n.status = "queued"
    n.save()
    with time_machine.travel(at("2026-11-22 09:05"), tick=False):
        tasks.send_notifications([n.pk])
    first, second = (live_tokens(s.body)[0] for s in handed)
    assert first != second
    assert CheckinLink.live(first).plan == CheckinLink.live(second).plan == plan


def test_the_export_and_the_rows_hold_no_live_link(
    centre, centre_admin, as_user, no_broker, handed
):
    plan = make_plan(centre, due=at("2026-11-22 09:00"))
    tick_and_send(at("2026-11-22 09:00"), no_broker)
    assert live_tokens(handed[0].body)  # the message itself has one
    plan.new_link()
    client = as_user(centre_admin)
    for fmt in ("json", "csv"):
        response = client.get(reverse("resident_export", args=[plan.resident.pk, fmt]))
        text = response.content.decode()
        assert response.status_code == 200
        assert "{link}" in text  # the reminder is in the export, with its placeholder
        assert not LINK.search(text), fmt
        for link in CheckinLink.objects.all():
            assert link.token_hash  # hashes only, and not even those are exported
            assert link.token_hash not in text


def test_discharge_revokes_the_links_and_the_next_reminder_brings_a_new_one(
    centre, counselor, as_user, no_broker, handed
):
    plan = make_plan(centre)
    old = plan.new_link()
    url = reverse("checkins:answer", args=[old])
    client = as_user(counselor)
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("resident_discharge", args=[plan.resident.pk]),
        {"discharge_date": timezone.localdate().isoformat(), "discharge_reason": "completed"},
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="reminder_plan.links_revoked").count() == 1
    # An alumnus who keeps check-ins: the next message carries a new, working link.
    new = plan.new_link()
    assert client.get(reverse("checkins:answer", args=[new])).status_code == 200


# --- "Make a new link" on the staff page ---------------------------------------------


def test_the_plan_page_shows_no_link_and_a_new_one_is_shown_once(
    centre, counselor, as_user, no_broker
):
    plan = make_plan(centre)
    old = plan.new_link()
    client = as_user(counselor)
    page = client.get(reverse("checkins:plan", args=[plan.resident.pk])).text
    assert "Make a new link" in page and not LINK.search(page)
    url = reverse("checkins:plan_revoke", args=[plan.resident.pk])
    confirm = client.get(url).text
    assert "stop working" in confirm and not LINK.search(confirm)
    assert client.get(reverse("checkins:answer", args=[old])).status_code == 200  # not yet
    response = client.post(url)
    assert response.status_code == 302 and not LINK.search(response.url)
    shown = client.get(url).text  # the page the POST leads to shows it, once
    [new] = LINK.findall(shown)
    assert "stop working" in client.get(url).text  # a reload: the confirmation again
    assert CheckinLink.live(new).plan == plan
    assert client.get(reverse("checkins:answer", args=[old])).status_code == 404
    assert client.get(reverse("checkins:answer", args=[new])).status_code == 200
    again = client.get(reverse("checkins:plan", args=[plan.resident.pk])).text
    assert new not in again
    assert AuditEvent.objects.filter(action="reminder_plan.new_link", user=counselor).exists()


def test_a_coordinator_may_not_make_a_link(centre, coordinator, outsider, as_user):
    plan = make_plan(centre)
    url = reverse("checkins:plan_revoke", args=[plan.resident.pk])
    assert as_user(coordinator).get(url).status_code == 403
    assert as_user(coordinator).post(url).status_code == 403
    assert as_user(outsider).post(url).status_code == 404
    assert not CheckinLink.objects.exists()


def test_an_expired_link_is_a_plain_404(client, centre):
    plan = make_plan(centre)
    token = plan.new_link()
    CheckinLink.objects.filter(plan=plan).update(expires_at=timezone.now())
    assert client.get(reverse("checkins:answer", args=[token])).status_code == 404


def test_links_that_stopped_working_a_week_ago_are_deleted(centre):
    plan = make_plan(centre)
    live, expired, revoked = plan.new_link(), plan.new_link(), plan.new_link()
    long_ago = timezone.now() - dt.timedelta(days=8)
    CheckinLink.objects.filter(token_hash=CheckinLink.hash(expired)).update(expires_at=long_ago)
    CheckinLink.objects.filter(token_hash=CheckinLink.hash(revoked)).update(revoked_at=long_ago)
    assert tasks_module.forget_old_links() == 2
    assert [CheckinLink.live(live).plan] == [plan]


def test_making_a_link_costs_the_same_queries_with_many_old_links(centre, counselor, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = make_plan(centre)
    client = as_user(counselor)
    url = reverse("checkins:plan_revoke", args=[plan.resident.pk])
    counts = []
    client.post(url)  # warm: the first request of a session does a little more
    client.get(url)
    for old in (1, 40):
        for _ in range(old):
            plan.new_link()
        with CaptureQueriesContext(connection) as made:
            client.post(url)
        with CaptureQueriesContext(connection) as shown:
            assert LINK.search(client.get(url).text)
        counts.append((len(made), len(shown)))
    assert counts[0] == counts[1]
