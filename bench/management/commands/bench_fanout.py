"""The reminder fan-out figure (issues 7 and 11): N due check-in reminders, one Celery
worker on Redis, the console SMS transport writing to a file.

    python manage.py bench_fanout [--plans 20000] [--concurrency 2] [--json out.json]

Run it on a database of its own (bench/run.py uses <bench db>_fanout): the first run adds
a centre with N admitted residents and plans; every run makes all N plans due, empties
their outbox rows, starts a worker, runs what beat's tick runs, and times until every row
is sent. Prints the EXPLAIN of the tick's due-plan query.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from bench.loading import copy_rows, reset_sequences
from checkins import reminders
from checkins.models import Alert, CheckIn, ReminderPlan
from kendra.models import Centre, Resident
from kendra.notify import outbox
from kendra.notify.models import Notification

ROOT = Path(settings.BASE_DIR)
CENTRE_NAME = "Fan-out bench centre"


def ensure_people(n):
    centre = Centre.objects.filter(name=CENTRE_NAME).first()
    if centre and ReminderPlan.objects.filter(centre=centre).count() >= n:
        return centre
    if centre:
        raise CommandError("The fan-out centre has fewer plans than asked: use a fresh database.")
    centre = Centre.objects.create(name=CENTRE_NAME, city="Jaipur")
    start = (Resident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    today = timezone.localdate()
    with transaction.atomic():
        copy_rows(
            Resident,
            ["id", "centre_id", "full_name", "gender", "phone", "admission_date", "status"],
            (
                (start + i, centre.pk, f"Fanout {i}", "male", f"8{i:09d}", today, "admitted")
                for i in range(n)
            ),
        )
        copy_rows(
            ReminderPlan,
            ["id", "resident_id", "centre_id", "channel"],
            ((start + i, start + i, centre.pk, "sms") for i in range(n)),
        )
        reset_sequences(Resident, ReminderPlan)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return centre


def make_due(centre, now, n):
    Notification.objects.filter(centre=centre).delete()
    Alert.objects.filter(centre=centre).delete()
    CheckIn.objects.filter(resident__centre=centre).delete()
    plans = ReminderPlan.objects.filter(centre=centre)
    plans.update(next_due_at=now + dt.timedelta(days=1), last_due_at=None, missed_in_a_row=0)
    first = plans.order_by("pk").values_list("pk", flat=True)[:n]
    plans.filter(pk__in=list(first)).update(next_due_at=now - dt.timedelta(minutes=1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def explain(now):
    with transaction.atomic():
        query = (
            reminders.due_plans(now)
            .select_related("resident", "centre")
            .select_for_update(skip_locked=True, of=("self",))[: reminders.BATCH]
        )
        return query.explain()


def start_worker(concurrency, log_path, out_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("SMS_GATEWAY_URL", None)  # the console transport: messages go to a file
    out = open(out_path, "w")  # noqa: SIM115 - closed by the caller with the process
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "kendra",
            "worker",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            f"--logfile={log_path}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    return proc, out


def wait_ready(timeout=60):
    from kendra.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1.0):
            return
    raise CommandError("the Celery worker did not come up")


class Command(BaseCommand):
    help = "Time the check-in reminder fan-out through one Celery worker on Redis."

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=20_000)
        parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--timeout", type=int, default=300)
        parser.add_argument("--json", dest="json_path", help="write the figures to this file")

    def handle(self, *args, plans, concurrency, timeout, json_path=None, **options):
        if not settings.REDIS_URL:
            raise CommandError("bench_fanout needs REDIS_URL (one worker on Redis).")
        from kendra.celery import app

        centre = ensure_people(plans)
        now = timezone.now()
        make_due(centre, now, plans)
        plan_text = explain(now)
        self.stdout.write("EXPLAIN of the tick's due-plan query:")
        for line in plan_text.splitlines():
            self.stdout.write("    " + line)
        uses_index = "reminderplan_due" in plan_text
        app.control.purge()
        tmp = Path(tempfile.mkdtemp(prefix="kendra-fanout-"))
        proc, out = start_worker(concurrency, tmp / "worker.log", tmp / "sms.txt")
        try:
            wait_ready()
            started = time.monotonic()
            written = reminders.write_due_checkin_reminders(timezone.now())
            wrote_s = time.monotonic() - started
            sent = 0
            while time.monotonic() - started < timeout:
                by_status = dict(
                    Notification.objects.filter(centre=centre)
                    .values_list("status")
                    .annotate(n=Count("id"))
                )
                sent = by_status.get("sent", 0)
                if sent + by_status.get("failed", 0) >= written:
                    break
                time.sleep(0.2)
            total_s = time.monotonic() - started
        finally:
            proc.terminate()
            proc.wait(30)
            out.close()
        delivered_lines = sum(1 for line in open(tmp / "sms.txt") if line.startswith("[sms]"))
        figures = {
            "plans_due": plans,
            "written": written,
            "sent": sent,
            "delivered_lines": delivered_lines,
            "write_s": round(wrote_s, 2),
            "total_s": round(total_s, 2),
            "reminders_per_s": round(sent / total_s, 1) if total_s else 0,
            "worker_concurrency": concurrency,
            "send_batch": outbox.SEND_BATCH,
            "explain": plan_text,
            "due_query_uses_index": uses_index,
        }
        self.stdout.write(
            f"fanout reminders_per_s={figures['reminders_per_s']} due={plans} sent={sent}"
            f" write_s={figures['write_s']} total_s={figures['total_s']}"
            f" concurrency={concurrency} index={'yes' if uses_index else 'NO'}"
        )
        if json_path:
            Path(json_path).write_text(json.dumps(figures, indent=2))
