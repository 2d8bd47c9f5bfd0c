"""End to end with the real parts: a Celery worker process on the real Redis, the test
PostgreSQL database, an SMTP server and a fake SMS gateway listening on loopback.

Not eager mode: the tick runs here, the worker runs in its own process and talks to the
same database, so what is proven is the outbox's promise across processes.
"""

import datetime as dt
import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from kendra.checkins.models import ReminderPlan
from kendra.notify import outbox, tasks
from kendra.notify.models import Notification

from ..factories import ResidentFactory
from ..workers import ROOT, Worker, flush_redis, wait_for
from ..workers import worker_env as worker_env_for

# --- loopback servers ---------------------------------------------------------------


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf8", "replace")))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        mailbox.port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


class Gateway:
    """A fake SMS gateway. Like real ones, it takes the Idempotency-Key: a repeated key is
    answered 200 but not delivered twice."""

    def __init__(self):
        self.requests = []  # every POST body, in order
        self.delivered = {}  # idempotency key -> message
        self.status = 200
        self.block_first = False
        self.arrived = threading.Event()
        self.release = threading.Event()


@pytest.fixture
def gateway():
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({**body, "key": self.headers.get("Idempotency-Key")})
            first = len(state.requests) == 1
            state.arrived.set()
            if first and state.block_first:
                state.release.wait(30)
            if state.status == 200:
                state.delivered.setdefault(self.headers.get("Idempotency-Key"), body)
            self.send_response(state.status)
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if state.status == 200 else b'{"error": "bad number"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    yield state
    state.release.set()
    server.shutdown()


# --- worker processes ---------------------------------------------------------------


@pytest.fixture
def worker_env(transactional_db, smtp_server, gateway, tmp_path):
    flush_redis()
    return worker_env_for(
        tmp_path,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        SMS_GATEWAY_URL=gateway.url,
    )


@pytest.fixture
def start_worker(worker_env, tmp_path):
    workers = []

    def start():
        worker = Worker(worker_env, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def statuses():
    return sorted(Notification.objects.values_list("status", flat=True))


def due_plan(centre, channel="sms", **person):
    resident = ResidentFactory(centre=centre, **person)
    return ReminderPlan.objects.create(
        resident=resident,
        centre=centre,
        channel=channel,
        local_time=dt.time(9, 0),
        next_due_at=timezone.now() - dt.timedelta(minutes=1),
    )


# --- the tests ----------------------------------------------------------------------


def test_a_due_plan_is_delivered_by_email_and_sms_through_a_real_worker(
    centre, start_worker, smtp_server, gateway
):
    sms_plan = due_plan(centre, phone="+919812345678")
    email_plan = due_plan(centre, channel="email", email="amit@example.in")
    start_worker()
    tasks.tick()
    assert wait_for(lambda: statuses() == ["sent", "sent"]), statuses()
    assert len(gateway.requests) == 1 and gateway.requests[0]["to"] == "+919812345678"
    assert f"/checkins/c/{sms_plan.token}/" in gateway.requests[0]["text"]
    [(rcpt, content)] = smtp_server.messages
    assert rcpt == ["amit@example.in"] and f"/checkins/c/{email_plan.token}/" in content
    tasks.tick()  # the next tick finds nothing due and nothing lost
    time.sleep(1)
    assert len(gateway.requests) == 1 and len(smtp_server.messages) == 1


def test_a_worker_killed_while_sending_leads_to_exactly_one_delivery(centre, start_worker, gateway):
    due_plan(centre, phone="+919812345678")
    gateway.block_first = True
    first = start_worker()
    tasks.tick()
    assert gateway.arrived.wait(30), "the worker never reached the gateway"
    first.kill()  # kill -9 while the transport blocks: the task was taken, never acked
    n = Notification.objects.get()
    assert n.status == "sending"
    gateway.release.set()
    start_worker()
    # The next tick after the task time limit finds the row stuck in `sending`.
    assert outbox.sweep(timezone.now() + outbox.STALE_SENDING + dt.timedelta(seconds=1)) == 1
    assert wait_for(lambda: statuses() == ["sent"]), statuses()
    n.refresh_from_db()
    assert n.attempts == 2
    assert len(gateway.delivered) == 1
    assert {r["key"] for r in gateway.requests} == {n.dedupe_key}


def test_with_redis_down_reminders_wait_in_the_outbox_and_go_out_once_it_is_back(
    centre, worker_env, start_worker, gateway
):
    due_plan(centre, phone="+919812345678")
    down = {**worker_env, "REDIS_URL": "redis://127.0.0.1:1/5"}  # nothing listens there
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from kendra.notify.tasks import tick; tick()",
        ],
        cwd=ROOT,
        env={**down, "DJANGO_SETTINGS_MODULE": "kendra.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert statuses() == ["queued"]
    start_worker()
    time.sleep(2)
    assert statuses() == ["queued"] and not gateway.requests  # nothing reached the broker
    # Redis is back: the next tick's sweep hands the waiting row over.
    assert outbox.sweep(timezone.now() + outbox.STALE_QUEUED + dt.timedelta(seconds=1)) == 1
    assert wait_for(lambda: statuses() == ["sent"]), statuses()
    assert len(gateway.requests) == 1


def test_a_permanent_gateway_refusal_is_recorded_and_not_retried(centre, start_worker, gateway):
    due_plan(centre, phone="+919812345678")
    gateway.status = 400
    start_worker()
    tasks.tick()
    assert wait_for(lambda: statuses() == ["failed"]), statuses()
    n = Notification.objects.get()
    assert "400" in n.last_error and n.attempts == 1
    assert outbox.sweep(timezone.now() + dt.timedelta(hours=3)) == 0
    time.sleep(1)
    assert len(gateway.requests) == 1
