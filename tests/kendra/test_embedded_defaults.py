"""`make run` serves on embedded defaults: SQLite, no Redis. The suite runs on PostgreSQL,
so the paths written in SQL for PostgreSQL are run here once on SQLite, in a subprocess:
the reminders tick, a batch of notifications sent, and a session-log save that changes
marks."""

import os
import subprocess
import sys

SCRIPT = """
import datetime as dt
import time_machine
from django.utils import timezone

# Midday in the centre: no quiet hours hold a message back, whenever the suite runs.
time_machine.travel(timezone.localtime().replace(hour=12, minute=0), tick=True).start()
from groups import actions
from groups.models import Attendance, Session
from checkins.models import ReminderPlan
from checkins.reminders import write_due_checkin_reminders

plans = ReminderPlan.objects.filter(pk__in=ReminderPlan.objects.values("pk")[:3])
plans.update(next_due_at=timezone.now() - dt.timedelta(minutes=5), paused=False)
write_due_checkin_reminders(timezone.now())
print("due after tick", ReminderPlan.objects.filter(
    pk__in=plans.values("pk"), next_due_at__lte=timezone.now()).count())

from kendra.notify.models import Notification
from kendra.notify.tasks import send_notifications
queued = list(Notification.objects.filter(status="queued").values_list("pk", flat=True)[:5])
print("sent", len(queued) > 0 and send_notifications(queued + [10**9]).get("not claimed"))
print("left queued", Notification.objects.filter(pk__in=queued, status="queued").count())

now = timezone.now()
session = Session.objects.filter(signed_at__isnull=True, start__lte=now).exclude(
    status="cancelled").order_by("-start").first()
ids = actions.saved_log(session).roster_ids
def rows(note_of_first):
    return [{"resident_id": rid, "status": "present", "participation": None, "mood": None,
             "note": note_of_first if n == 0 else ""} for n, rid in enumerate(ids)]
actions.save_log(session, rows("first"), None, session.facilitator)
session.refresh_from_db()
print("saved", actions.save_log(session, rows("changed on SQLite"), None, session.facilitator))
mark = Attendance.objects.get(session=session, resident_id=ids[0])
print("note", mark.note, "|", mark.history.order_by("-history_id").first().note)
"""


def test_the_sql_paths_run_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'kendra.sqlite3'}", DJANGO_DEBUG="true")

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    manage("migrate", "-v0")
    manage("seed_demo")
    out = manage("shell", "-c", SCRIPT)
    assert "due after tick 0" in out
    assert "sent 1" in out and "left queued 0" in out  # the unknown id is not claimed
    assert "saved True" in out
    assert "note changed on SQLite | changed on SQLite" in out
