"""The client address behind a configured number of trusted proxies (KENDRA_TRUSTED_PROXIES):
a forged X-Forwarded-For changes nothing; the address a trusted proxy saw is used for
sign-in lockout and the audit trail."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from kendra.clientip import client_ip
from kendra.models import AuditEvent

FORGED = "6.6.6.6"
CLIENT = "198.51.100.7"
OTHER_CLIENT = "198.51.100.8"
PROXY = "10.0.0.2"


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.KENDRA_TRUSTED_PROXIES = 0
    assert client_ip(request("203.0.113.9", FORGED)) == "203.0.113.9"


def test_through_one_trusted_proxy_the_address_it_saw_is_used(settings):
    settings.KENDRA_TRUSTED_PROXIES = 1
    assert client_ip(request(PROXY, CLIENT)) == CLIENT
    # The client wrote its own header; the proxy appended the real address after it.
    assert client_ip(request(PROXY, f"{FORGED}, {CLIENT}")) == CLIENT
    assert client_ip(request(PROXY)) == PROXY
    assert client_ip(request(PROXY, "not-an-address")) == PROXY


def test_two_trusted_proxies(settings):
    settings.KENDRA_TRUSTED_PROXIES = 2
    assert client_ip(request(PROXY, f"{FORGED}, {CLIENT}, 10.0.0.1")) == CLIENT


def sign_in(client, password, **headers):
    return client.post(reverse("login"), {"username": "anjali", "password": password}, **headers)


@pytest.mark.parametrize("forged", [FORGED, "6.6.6.7", "6.6.6.8", "6.6.6.9", "6.6.6.10"])
def test_a_forged_header_from_an_untrusted_address_is_ignored_by_the_audit(
    settings, client, counselor, forged
):
    settings.KENDRA_TRUSTED_PROXIES = 0
    sign_in(client, "wrong", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=forged)
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert "ip=203.0.113.9" in event.detail and forged not in event.detail


def test_forging_the_header_does_not_escape_the_lockout(settings, client, counselor):
    settings.KENDRA_TRUSTED_PROXIES = 0
    for n in range(5):
        sign_in(client, "wrong", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}")
    locked = sign_in(
        client, "pw-for-tests", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.99"
    )
    assert locked.status_code == 429


def test_through_a_trusted_proxy_the_lockout_and_audit_see_the_real_client(
    settings, client, counselor
):
    settings.KENDRA_TRUSTED_PROXIES = 1
    for _ in range(5):
        sign_in(client, "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}")
    failures = AuditEvent.objects.filter(action="auth.sign_in_failed")
    assert all(f"ip={CLIENT}" in e.detail for e in failures) and failures.count() == 5
    locked = sign_in(client, "pw-for-tests", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    assert locked.status_code == 429
    # Another person behind the same proxy is not locked out by the first one's mistakes.
    other = sign_in(client, "pw-for-tests", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER_CLIENT)
    assert other.status_code == 302
    signed_in = AuditEvent.objects.get(action="auth.signed_in")
    assert signed_in.detail == OTHER_CLIENT
