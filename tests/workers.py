"""A real Celery worker in its own process, on this run's Redis db and test database.

Used by tests that prove something across processes (tests/checkins/test_worker.py) and
by browser journeys that watch background work finish (tests/browser/test_import_journey.py).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
# The celery of the virtualenv running the tests (make test VENV=… may name another).
CELERY = Path(sys.executable).parent / "celery"


def database_url():
    """The test database, as a URL another process can use."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(tmp_path, **extra):
    """The environment for a worker: this test database and Redis db, plus `extra`."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "KENDRA_VAR_DIR": str(tmp_path / "var"),
        **extra,
    }


def flush_redis():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    if not settings.REDIS_KEY_PREFIX:
        client.flushdb()  # this test run's own Redis db
        return
    # Under xdist the workers share the db: only this worker's keys (cache and queues).
    keys = list(client.scan_iter(match=f"{settings.REDIS_KEY_PREFIX}:*", count=1000))
    if keys:
        client.delete(*keys)


# The queues a deployment's workers consume (README, "The urgent lane"): the general
# worker takes both, a second worker only the urgent lane.
GENERAL_QUEUES = "celery,urgent"
URGENT_QUEUES = "urgent"


class Worker:
    def __init__(self, env, log_path, queues=GENERAL_QUEUES, name=None):
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "kendra",
                "worker",
                "--pool=solo",
                f"--queues={queues}",
                f"--hostname={name or log_path.stem}@%h",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while "ready." not in Path(log_path).read_text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("worker did not start:\n" + Path(log_path).read_text()[-3000:])
            time.sleep(0.2)

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
