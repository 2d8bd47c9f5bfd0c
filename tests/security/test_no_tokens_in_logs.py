"""No tokens in logs: Kendra's own log lines, gunicorn's access log and the nginx example
redact the token of check-in, feed and invitation addresses. With DJANGO_DEBUG=false the
console SMS and email transports are refused by a system check."""

import datetime as dt
import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from gunicorn.config import Config

from kendra.checks import no_console_transports_in_production
from kendra.gunicorn_logging import RedactingLogger
from kendra.logredact import RedactTokens, redact
from kendra.notify.templates import LANGUAGES, REGISTRY

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zq3xY_secret-Token-4242abcd"
URLS = [
    f"/checkins/c/{TOKEN}/",
    f"/checkins/c/{TOKEN}/?day=2026-12-01",
    f"/families/feed/{TOKEN}.ics",
    f"/families/invitation/{TOKEN}/",
    f"/staff/invitation/{TOKEN}/",
    f"/staff/invitations/{TOKEN}/accept/",
    f"/staff/join/{TOKEN}/",
    f"/somewhere/?token={TOKEN}",
]


@pytest.mark.parametrize("url", URLS)
def test_the_token_of_every_kind_of_link_is_redacted(url):
    clean = redact(f"GET {url} HTTP/1.1")
    assert TOKEN not in clean and "[token]" in clean


def test_other_addresses_are_left_alone():
    for url in ["/residents/12/", "/families/residents/3/invite/", "/checkins/grid/"]:
        assert redact(url) == url


def the_console_handler():
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokens) for f in h.filters)
    ]
    assert handlers, "settings.LOGGING puts the redacting filter on the root's handler"
    return handlers[0]


def test_kendras_own_log_lines_are_redacted(client, db):
    handler = the_console_handler()
    out = io.StringIO()
    old = handler.setStream(out)
    try:
        assert client.get(f"/checkins/c/{TOKEN}/").status_code == 404  # "Not Found: …"
        logging.getLogger("kendra").warning("opened %s", f"/families/feed/{TOKEN}.ics")
    finally:
        handler.setStream(old)
    written = out.getvalue()
    assert "Not Found: /checkins/c/[token]/" in written
    assert "opened /families/feed/[token].ics" in written
    assert TOKEN not in written


class _Response:
    status = "200 OK"
    headers = [("Content-Type", "text/html")]
    sent = 512


class _Request:
    headers = [("REFERER", f"https://kendra.example.in/checkins/c/{TOKEN}/")]


def test_gunicorns_access_log_is_redacted():
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("logger_class", "kendra.gunicorn_logging.RedactingLogger")
    logger = RedactingLogger(cfg)
    out = io.StringIO()
    logger.access_log.handlers[0].setStream(out)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/checkins/c/{TOKEN}/?day=2026-12-01",
        "PATH_INFO": f"/checkins/c/{TOKEN}/",
        "QUERY_STRING": "day=2026-12-01",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://kendra.example.in/families/feed/{TOKEN}.ics",
    }
    logger.access(_Response(), _Request(), environ, dt.timedelta(milliseconds=12))
    line = out.getvalue()
    assert "GET /checkins/c/[token]/?day=2026-12-01 HTTP/1.1" in line
    assert TOKEN not in line


def test_the_deploy_unit_and_the_nginx_example_redact_tokens():
    unit = (ROOT / "deploy/kendra-web.service").read_text()
    assert "--logger-class kendra.gunicorn_logging.RedactingLogger" in unit
    nginx = (ROOT / "deploy/nginx-kendra.conf").read_text()
    assert re.search(r"access_log \S+ kendra_redacted;", nginx)
    log_format = re.search(r"log_format kendra_redacted (.*?);", nginx, re.S).group(1)
    assert "$request " not in log_format and "$request_uri" not in log_format
    assert "$kendra_request_redacted" in log_format and "$kendra_referer_redacted" in log_format
    # The map's pattern, as Python reads it, redacts every kind of link.
    pattern, replacement = re.search(
        r'map \$request \$kendra_request_redacted \{\s*"~(.*?)"\s+"(.*?)";', nginx, re.S
    ).groups()
    python_pattern = re.compile(pattern.replace("(?<", "(?P<"))
    for url in URLS[:-1]:
        line = f"GET {url} HTTP/1.1"
        match = python_pattern.match(line)
        assert match, url
        redacted = re.sub(
            r"\$\{(\w+)\}", lambda m, match=match: match.group(m.group(1)), replacement
        )
        assert TOKEN not in redacted and "[token]" in redacted, url


@override_settings(
    DEBUG=False,
    EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    SMS_GATEWAY_URL="",
)
def test_the_check_refuses_console_transports_in_production():
    ids = {e.id for e in no_console_transports_in_production()}
    assert ids == {"kendra.E001", "kendra.E002"}


@override_settings(
    DEBUG=False,
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    SMS_GATEWAY_URL="https://sms.example.in/v1/messages",
)
def test_the_check_accepts_real_transports():
    assert no_console_transports_in_production() == []


@override_settings(DEBUG=True, SMS_GATEWAY_URL="")
def test_the_console_is_fine_in_development():
    assert no_console_transports_in_production() == []


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "SMS_GATEWAY_URL")}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-production-like-key-" + "x" * 40,
        ALLOWED_HOSTS="kendra.example.in",
        **extra,
    )
    return env


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_fails_with_the_console_transport_in_production():
    result = check_deploy(production_env())
    assert result.returncode != 0
    assert "kendra.E001" in result.stderr and "kendra.E002" in result.stderr
    assert "SMS would be printed to the console with DJANGO_DEBUG=false" in result.stderr


def test_check_deploy_passes_our_check_with_real_transports():
    result = check_deploy(
        production_env(
            EMAIL_URL="smtp+tls://kendra%40example.in:secret@smtp.example.in:587",
            SMS_GATEWAY_URL="https://sms.example.in/v1/messages",
            # Production SMS in India needs every template registered on DLT.
            SMS_DLT_ENTITY_ID="1101234567890123456",
            SMS_DLT_SENDER="KENDRA",
            SMS_DLT_TEMPLATE_IDS=",".join(
                f"{kind}.{lang}=1107{n:015d}"
                for n, (kind, lang) in enumerate(
                    (k, lang) for k in sorted(REGISTRY) for lang in LANGUAGES
                )
            ),
        )
    )
    assert "kendra.E00" not in result.stderr + result.stdout


def test_celerys_own_handlers_get_the_filter():
    from kendra.celery import _redact_tokens

    logger = logging.getLogger("kendra.tests.celery-like")
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    try:
        _redact_tokens(logger=logger)
        _redact_tokens(logger=logger)  # set up twice: one filter
        assert sum(isinstance(f, RedactTokens) for f in handler.filters) == 1
        logger.warning("sending %s", f"https://kendra.example.in/checkins/c/{TOKEN}/")
        assert TOKEN not in handler.stream.getvalue()
    finally:
        logger.removeHandler(handler)
