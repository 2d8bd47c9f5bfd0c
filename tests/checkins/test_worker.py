"""End to end with the real parts: a Celery worker process on the real Redis, the test
PostgreSQL database, an SMTP server and a fake SMS gateway listening on loopback.

Not eager mode: the tick runs here, the worker runs in its own process and talks to the
same database, so what is proven is the outbox's promise across processes.
"""

import datetime as dt
import re
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from checkins.models import CheckinLink, ReminderPlan
from kendra.notify import outbox, tasks
from kendra.notify.models import Notification

from ..factories import ResidentFactory
from ..workers import ROOT, Worker, flush_redis, wait_for
from ..workers import worker_env as worker_env_for

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
    [(rcpt, content)] = smtp_server.messages
    assert rcpt == ["amit@example.in"]
    # Each message carries a live link of its own plan; the outbox rows keep none.
    for text, plan in [(gateway.requests[0]["text"], sms_plan), (content, email_plan)]:
        token = re.search(r"/checkins/c/([A-Za-z0-9_\-]+)/", text).group(1)
        assert CheckinLink.live(token).plan == plan
        for n in Notification.objects.all():
            assert token not in n.body + n.body_html + n.link + n.subject
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
