"""Servers on loopback for tests that deliver for real: an aiosmtpd SMTP server and a fake
HTTP SMS gateway (used by tests/checkins/test_worker.py and tests/notify/)."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


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
            key = self.headers.get("Idempotency-Key")
            state.requests.append({**body, "key": key, "at": time.time()})
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
