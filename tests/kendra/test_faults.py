"""Faults against the real services: the database drops every connection under a running app."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from kendra.models import Role
from tests.factories import member


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(transactional_db):
    """The production server, one sync worker with persistent connections, on the test DB."""
    cfg = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{cfg['USER'] or 'postgres'}@{cfg['HOST'] or '127.0.0.1'}:"
        f"{cfg['PORT'] or 5432}/{cfg['NAME']}",
        "CONN_MAX_AGE": "600",
    }
    proc = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "kendra.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--timeout",
            "30",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login/", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_the_app_survives_the_database_dropping_its_connections(gunicorn, centre):
    member(Role.COUNSELOR, centre, username="anjali")
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = browser.open(gunicorn + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"username": "anjali", "password": "pw-for-tests", "csrfmiddlewaretoken": token}
    ).encode()
    home = browser.open(
        urllib.request.Request(
            gunicorn + "/login/", data=data, headers={"Referer": gunicorn + "/login/"}
        )
    )
    assert home.status == 200 and "Namaste" in home.read().decode()

    # What a PostgreSQL restart does to the app: every server-side connection is gone.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1  # the worker's persistent connection was there

    again = browser.open(gunicorn + "/")
    assert again.status == 200 and "Namaste" in again.read().decode()


@pytest.fixture
def redis_down(settings):
    """Broker and cache both pointed at a port where nothing listens."""
    from kendra.celery import app

    def forget_connections():
        # Celery caches its connection pool and producer pool: drop both, so the next
        # send connects to whatever broker_url says now.
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    dead = "redis://127.0.0.1:1/0"
    old = app.conf.broker_url
    app.conf.broker_url = dead
    forget_connections()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}
    }
    yield
    app.conf.broker_url = old
    forget_connections()


def test_every_page_works_with_redis_down(
    redis_down, client, django_user_model, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from kendra.notify import outbox
    from kendra.notify.models import Notification
    from tests.security.crawl import crawl

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    for username in ["counselor", "peerleader", "mentor", "coordinator", "family", "admin"]:
        client.force_login(django_user_model.objects.get(username=username))
        seen, _, _ = crawl(client, limit=40)
        errors = {url: status for url, status in seen.items() if status >= 500}
        assert not errors, (username, errors)
    # A message written now waits in the outbox; handing it to the broker fails quietly.
    counselor = django_user_model.objects.get(username="counselor")
    with django_capture_on_commit_callbacks(execute=True):
        n = outbox.enqueue(
            "message", slot="redis-down", user=counselor, context={"subject": "s", "body": "b"}
        )
    n.refresh_from_db()
    assert n.status == Notification.Status.QUEUED


def test_an_import_started_with_redis_down_says_so_and_imports_nothing(
    redis_down, as_user, centre_admin, centre
):
    from django.urls import reverse

    from kendra import imports
    from kendra.models import ImportJob, Resident

    header = ",".join(imports.COLUMNS)
    job = imports.prepare(
        centre, centre_admin, "a.csv", header + "\nRavi Kumar,,male,,,,,,,2026-10-01,,,,\n"
    )
    client = as_user(centre_admin)
    response = client.post(reverse("import_start", args=[job.pk]), follow=True)
    assert response.status_code == 200 and "could not start just now" in response.text
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and not Resident.objects.exists()
