"""A hung Redis does not hang pages (issue 18): a listener on loopback that accepts and
never answers stands in for Redis, as the REDIS_URL of a live server (the cache) and of
the code that hands messages to the broker. The page must answer within 5 seconds."""

import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from django.test import Client

from ..workers import ROOT, database_url


@pytest.fixture
def black_hole():
    """A TCP listener that accepts every connection and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/5"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def env_for(redis_url, tmp_path):
    import os

    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "KENDRA_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "kendra.settings",
    }


def test_a_page_answers_within_5_seconds_when_redis_accepts_and_never_answers(
    transactional_db, counselor, black_hole, tmp_path
):
    client = Client()
    client.force_login(counselor, backend="kendra.backends.MembershipBackend")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env_for(black_hole, tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        for path in ["/", "/notifications/", "/"]:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
            request.add_header("Cookie", cookie)
            started = time.monotonic()
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                status, landed = response.status, response.url
                response.read()
            took = time.monotonic() - started
            assert status == 200 and landed.endswith(path), landed  # signed in, not sent away
            assert took < 5, f"{path} took {took:.1f} s with Redis hung"
    finally:
        server.terminate()
        server.wait(15)


def test_handing_a_message_to_a_hung_broker_gives_up_within_5_seconds(
    transactional_db, black_hole, tmp_path
):
    """What a help press does after its commit: queue_send. With the broker hung, it must
    return (the row waits in the outbox for the sweep), not hold the page."""
    script = (
        "import time, django; django.setup()\n"
        "from kendra.notify import outbox\n"
        "started = time.monotonic()\n"
        "handed = outbox.queue_send([1, 2], queue='urgent')\n"
        "print('handed', len(handed), 'took', round(time.monotonic() - started, 2))\n"
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env_for(black_hole, tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "handed 0" in result.stdout, result.stdout
    took = float(result.stdout.split("took")[1])
    assert took < 5, f"queue_send took {took:.1f} s with the broker hung"
    assert time.monotonic() - started < 30
