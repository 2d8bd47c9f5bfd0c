"""Delivery end to end (issue 18): real Celery workers on the real Redis, the test database,
an aiosmtpd server and the fake SMS gateway on loopback (tests/loopback.py).

The retry clock is shortened with settings (NOTIFY_RETRY_BASE_SECONDS / _MAX_SECONDS in the
workers' environment): the old budget was 5 tries, then `failed`.
"""

import datetime as dt
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from bench.loading import copy_rows, reset_sequences
from checkins import reminders
from checkins.models import Alert, ReminderPlan
from kendra.models import Consent, Membership, Profile, Resident
from kendra.notify import outbox
from kendra.notify.models import Notification

from ..factories import ResidentFactory, member
from ..loopback import Mailbox
from ..workers import URGENT_QUEUES, Worker, flush_redis, wait_for
from ..workers import worker_env as worker_env_for

OLD_BUDGET = 5  # tries before this issue: then the message was `failed` for good
FAST_RETRIES = {"NOTIFY_RETRY_BASE_SECONDS": "0.2", "NOTIFY_RETRY_MAX_SECONDS": "1"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def workers(transactional_db, tmp_path):
    flush_redis()
    started = []

    def start(queues="celery,urgent", **env):
        log = tmp_path / f"worker-{len(started)}.log"
        worker = Worker(worker_env_for(tmp_path, **FAST_RETRIES, **env), log, queues=queues)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def message(user, slot, channel="email", **kwargs):
    return outbox.enqueue(
        "message",
        slot=slot,
        user=user,
        channel=channel,
        context={"subject": "Circle", "body": "Circle at 7 am"},
        **kwargs,
    )


def statuses(**filters):
    return sorted(Notification.objects.filter(**filters).values_list("status", flat=True))


def test_mail_server_down_longer_than_the_old_budget_then_back_everything_is_delivered(
    workers, centre, counselor
):
    counselor.email = "anjali@example.in"
    counselor.save()
    port = free_port()  # nothing listens there yet: connection refused
    rows = [message(counselor, f"outage-{i}") for i in range(3)]
    short = message(counselor, "short", expires_at=timezone.now() + dt.timedelta(seconds=3))
    workers(EMAIL_URL=f"smtp://127.0.0.1:{port}")
    pks = [n.pk for n in rows]
    tried = lambda: all(  # noqa: E731
        n.attempts > OLD_BUDGET + 1 for n in Notification.objects.filter(pk__in=pks)
    )
    assert wait_for(tried, timeout=60), list(Notification.objects.values("status", "attempts"))
    assert statuses(pk__in=pks) == ["queued"] * 3  # still trying, none failed
    assert wait_for(lambda: statuses(pk=short.pk) == ["expired"], timeout=30)
    mailbox = Mailbox()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert wait_for(lambda: statuses(pk__in=pks) == ["sent"] * 3, timeout=30), statuses()
        time.sleep(1.5)  # the expired one has had every chance to slip out late
    finally:
        server.stop()
    assert len(mailbox.messages) == 3
    assert statuses() == ["expired", "sent", "sent", "sent"]
    assert not Notification.objects.filter(status="failed").exists()
    short.refresh_from_db()
    assert short.sent_at is None and short.reason == "expired"


def _quiet_plan(centre, starts_in, expires_in):
    resident = ResidentFactory(
        centre=centre, phone=f"+91981234{ResidentFactory._meta.model.objects.count():04d}"
    )
    now = timezone.localtime()
    plan = ReminderPlan.objects.create(
        resident=resident,
        centre=centre,
        quiet_start=(now + dt.timedelta(seconds=starts_in)).time(),
        quiet_end=(now + dt.timedelta(hours=2)).time(),
    )
    n = outbox.enqueue(
        "checkin",
        slot=f"quiet-{resident.pk}",
        resident=resident,
        context={"link": "https://k/c/x/", "name": resident.display_name, "day": now.date()},
        expires_at=timezone.now() + dt.timedelta(hours=expires_in),
    )
    return plan, n


def test_a_retry_that_falls_in_quiet_hours_is_held_until_they_end_or_expires(
    workers, centre, gateway
):
    gateway.status = 503  # the gateway is down: every try is a passing failure
    held_plan, held = _quiet_plan(centre, starts_in=3600, expires_in=3)
    late_plan, too_late = _quiet_plan(
        centre, starts_in=3600, expires_in=1
    )  # quiet ends after expiry
    workers(SMS_GATEWAY_URL=gateway.url)
    # Quiet hours begin once both messages were tried (however slowly the workers start).
    assert wait_for(lambda: len({r["to"] for r in gateway.requests}) == 2, timeout=40)
    quiet_from = time.time()
    for plan in (held_plan, late_plan):
        plan.quiet_start = timezone.localtime().time()
        plan.save()

    def settled():
        held.refresh_from_db()
        return statuses(pk=too_late.pk) == ["expired"] and (
            held.status == "queued"
            and held.next_attempt_at > timezone.now() + dt.timedelta(hours=1)
        )

    assert wait_for(settled, timeout=40), list(Notification.objects.values())
    gateway.status = 200
    time.sleep(1.5)
    assert gateway.requests, "the first tries went out before the quiet hours"
    assert all(r["at"] < quiet_from + 0.5 for r in gateway.requests), "sent in quiet hours"
    assert not gateway.delivered
    quiet_end = timezone.localtime(held.next_attempt_at)
    assert quiet_end.time().replace(second=0) == held_plan.quiet_end.replace(
        second=0, microsecond=0
    )
    attempts = held.attempts
    time.sleep(1)
    held.refresh_from_db()
    assert held.attempts == attempts  # holding is not a try


def test_who_gets_a_message_is_decided_when_it_is_sent(workers, centre, gateway):
    def resident(name):
        r = ResidentFactory(
            centre=centre, full_name=name, phone=f"+9198{Resident.objects.count():08d}"
        )
        ReminderPlan.objects.create(resident=r, centre=centre)
        return r

    def reminder(r):
        return outbox.enqueue(
            "checkin",
            slot="today",
            resident=r,
            context={"link": "https://k/c/x/", "name": r.display_name, "day": "today"},
        )

    def staff(role, username):
        user = member(role, centre, username=username)
        Profile.objects.update_or_create(user=user, defaults={"phone": "+919877700000"})
        return message(user, "alert", channel="sms"), user

    ok, discharged, withdrawn, paused = (resident(n) for n in ["Amit", "Bharat", "Chetan", "Dev"])
    rows = {r.full_name: reminder(r) for r in [ok, discharged, withdrawn, paused]}
    mentor_row, mentor = staff("mentor", "ravi")
    counselor_row, counselor = staff("counselor", "sunita")
    # After the messages were written, before a worker takes them:
    Resident.objects.filter(pk=discharged.pk).update(
        status="discharged", discharge_date=timezone.localdate(), discharge_reason="completed"
    )
    consent = Consent.objects.create(resident=withdrawn, purpose="checkin_messages")
    consent.withdraw(by=None)
    ReminderPlan.objects.filter(resident=paused).update(paused=True)
    mentor.is_active = False
    mentor.save()
    Membership.objects.filter(user=counselor).update(is_active=False)
    workers(SMS_GATEWAY_URL=gateway.url)
    assert wait_for(lambda: "queued" not in statuses() and "sending" not in statuses(), 30)
    got = {n.pk: (n.status, n.reason) for n in Notification.objects.all()}
    assert got[rows["Amit"].pk] == ("sent", "")
    assert got[rows["Bharat"].pk] == ("cancelled", "discharged")
    assert got[rows["Chetan"].pk] == ("cancelled", "consent_withdrawn")
    assert got[rows["Dev"].pk] == ("cancelled", "plan_paused")
    assert got[mentor_row.pk] == ("cancelled", "account_inactive")
    assert got[counselor_row.pk] == ("cancelled", "membership_ended")
    assert [r["to"] for r in gateway.requests] == [ok.phone]
    assert Notification.objects.filter(status="cancelled", attempts=0).count() == 5


FANOUT = 20_000


def _fanout_plans(centre):
    start = (Resident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    today = timezone.localdate()
    due = timezone.now() - dt.timedelta(minutes=1)
    copy_rows(
        Resident,
        ["id", "centre_id", "full_name", "gender", "phone", "admission_date", "status"],
        (
            (start + i, centre.pk, f"Fanout {i}", "male", f"8{i:09d}", today, "admitted")
            for i in range(FANOUT)
        ),
    )
    copy_rows(
        ReminderPlan,
        ["id", "resident_id", "centre_id", "channel", "next_due_at"],
        ((start + i, start + i, centre.pk, "sms", due) for i in range(FANOUT)),
    )
    reset_sequences(Resident, ReminderPlan)


def test_a_help_message_overtakes_a_20000_reminder_fan_out(workers, centre, counselor, gateway):
    _fanout_plans(centre)
    Profile.objects.update_or_create(user=counselor, defaults={"phone": "+919811100000"})
    resident = ResidentFactory(centre=centre, full_name="Rahul Sharma")
    started, now = time.monotonic(), timezone.now()
    # The tick queues 20,000 reminders on the broker, then a help message is written.
    assert reminders.write_due_checkin_reminders(now) == FANOUT
    wrote = time.monotonic() - started
    assert not ReminderPlan.objects.filter(next_due_at__lte=now).exists()  # all moved on
    help_alert = Alert.objects.create(  # as the help press writes it
        resident=resident,
        centre=centre,
        rule=Alert.Rule.HELP_REQUEST,
        reason="Rahul Sharma pressed “I need help now” at 23:14.",
        dedupe_key="help-overtakes",
    )
    help_row = outbox.enqueue(
        "help",
        slot="help-1",
        user=counselor,
        channel="sms",
        centre=centre,
        context={"alert": help_alert, "resident": resident, "level": 1},
    )
    expiry = help_row.expires_at - help_row.created_at
    assert abs(expiry - dt.timedelta(hours=2)) < dt.timedelta(seconds=1)
    workers(SMS_GATEWAY_URL=gateway.url)  # the general worker (both queues) starts draining
    workers(queues=URGENT_QUEUES, SMS_GATEWAY_URL=gateway.url)  # the urgent lane's own
    arrived = lambda: any(r["to"] == "+919811100000" for r in list(gateway.requests))  # noqa: E731
    assert wait_for(arrived, timeout=60), "the help SMS never reached the gateway"
    order = [r["to"] for r in list(gateway.requests)]
    before = order.index("+919811100000")
    time.sleep(1)
    after = len(gateway.requests) - before - 1
    print(f"\nfan-out written in {wrote:.1f} s; reminders at the gateway before help: {before}")
    assert "Rahul Sharma" in gateway.requests[before]["text"]
    assert before < FANOUT // 2 and after > 0, (before, after)  # the fan-out was still going
    assert Notification.objects.filter(kind="checkin").exclude(status="sent").exists()


def test_a_gateway_refusing_kendras_credentials_is_one_line_for_the_admin(
    workers, centre, centre_admin, gateway, client
):
    gateway.status = 401
    for i in range(6):
        r = ResidentFactory(centre=centre, phone=f"+9198765{i:05d}")
        outbox.enqueue(
            "checkin",
            slot="today",
            resident=r,
            context={"link": "https://k/c/x/", "name": r.display_name, "day": "today"},
        )
    workers(SMS_GATEWAY_URL=gateway.url)
    assert wait_for(lambda: statuses() == ["failed"] * 6, timeout=30), statuses()
    assert set(Notification.objects.values_list("reason", "attempts")) == {("credentials", 1)}
    client.force_login(centre_admin, backend="kendra.backends.MembershipBackend")
    page = client.get("/notifications/not-delivered/").text
    assert (
        page.count("SMS gateway refuses Kendra&#x27;s credentials: 6 messages not sent since") == 1
    )
    assert "<tbody>" not in page
