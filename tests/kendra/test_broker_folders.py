"""Without Redis (`make run`), Celery's filesystem broker keeps everything under var/: its
queue, what it processed and its exchange tables (kombu's control folder), never in the
working directory."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from kendra.celery import app
with app.connection_for_write() as conn:
    # What a worker does when it starts: bind its queue (the exchange table is written).
    app.amqp.queues[app.conf.task_default_queue](conn.default_channel).declare()
    app.send_task("kendra.notify.tasks.tick", connection=conn)
print("sent")
"""


def test_the_filesystem_broker_writes_only_under_var(tmp_path):
    var, cwd = tmp_path / "var", tmp_path / "elsewhere"
    cwd.mkdir()
    unset = {"REDIS_URL", "DATABASE_URL", "PYTEST_VERSION", "PYTEST_CURRENT_TEST"}
    env = {k: v for k, v in os.environ.items() if k not in unset}  # as `make run` starts
    env.update(
        KENDRA_VAR_DIR=str(var),
        DJANGO_DEBUG="true",
        DJANGO_SETTINGS_MODULE="kendra.settings",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + SCRIPT],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "sent" in result.stdout
    assert list(cwd.iterdir()) == []  # no control/ folder where it was started
    assert list((var / "broker" / "control").glob("*.exchange"))
    assert list((var / "broker" / "queue").iterdir())
