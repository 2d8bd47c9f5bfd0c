"""Servers on loopback for tests that deliver for real: an aiosmtpd SMTP server, a fake
HTTP SMS gateway (used by tests/checkins/test_worker.py and tests/notify/) and a fake
WhatsApp Cloud API (tests/notify/test_whatsapp.py)."""

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
        self.answer = None  # the body of a 200 answer (bytes); None: {"ok": true}
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
            if state.status == 200:
                self.wfile.write(state.answer or b'{"ok": true}')
            else:
                self.wfile.write(b'{"error": "bad number"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    yield state
    state.release.set()
    server.shutdown()


class GraphApi:
    """A fake WhatsApp Cloud API: POST /<version>/<phone number id>/messages. It answers as
    Meta documents: a message id for an accepted message, or an error object (`error`:
    (HTTP status, Meta error code, message)) for a refused one."""

    def __init__(self):
        self.requests = []  # (path, headers, parsed body), in order
        self.error = None
        self.count = 0


@pytest.fixture
def whatsapp_api():
    state = GraphApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append((self.path, dict(self.headers), body))
            if state.error:
                status, code, message = state.error
                answer = {
                    "error": {
                        "message": message,
                        "type": "OAuthException",
                        "code": code,
                        "error_data": {"messaging_product": "whatsapp", "details": message},
                        "fbtrace_id": "AbCdEf",
                    }
                }
            else:
                state.count += 1
                status = 200
                answer = {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                    "messages": [{"id": f"wamid.TEST{state.count}"}],
                }
            raw = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v21.0"
    yield state
    server.shutdown()
