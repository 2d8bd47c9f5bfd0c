"""The beat's schedule is built from what the apps register (kendra/beat.py)."""

import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

# As `celery -A kendra beat` starts: the loader sets Django up, then the scheduler reads
# beat_schedule.
CHILD = """
import json
from celery.apps.beat import Beat
from celery.beat import Scheduler
from kendra.celery import app

Beat(app=app, quiet=True).init_loader()
print(json.dumps({
    "entries": {k: v.task for k, v in Scheduler(app, lazy=False).schedule.items()},
    "old_task_name": "kendra.checkins.tasks.escalate_alerts" in app.tasks,
}))
"""


def test_the_beat_started_alone_has_every_apps_entries():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CELERY_SKIP_CHECKS": "1"}
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["entries"] == {
        "notify-tick": "kendra.notify.tasks.tick",
        "checkins-escalate": "kendra.checkins.tasks.escalate_alerts",
        "checkins-forget-old-links": "checkins.tasks.forget_old_links",
        "groups-generate-sessions": "groups.tasks.generate_sessions",
        "families-generate-meetings": "families.tasks.generate_meetings",
        "alumni-morning": "alumni.tasks.morning",
        "kendra-forget-old-uploads": "kendra.tasks.forget_old_uploads",
    }
    # Messages queued before check-ins left kendra/ carry the old task name.
    assert found["old_task_name"] is True
