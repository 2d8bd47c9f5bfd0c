"""Transports behind one registry and base class (after healthchecks' hc/api/transports.py).

A transport raises PermanentError for a failure that will not mend by retrying (bad
address, rejected by the gateway) and TransientError for one that may (timeouts, 5xx).
"""

import json
import logging
import smtplib
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

log = logging.getLogger(__name__)


class TransportError(Exception):
    pass


class TransientError(TransportError):
    pass


class PermanentError(TransportError):
    pass


class Transport:
    channel = ""

    def send(self, notification):
        raise NotImplementedError


class EmailTransport(Transport):
    channel = "email"

    def send(self, n):
        message = EmailMultiAlternatives(
            subject=n.subject,
            body=n.body,
            to=[n.address],
            connection=get_connection(),
            # Gateways and mail stores drop a repeated Message-ID: our idempotency key.
            headers={"Message-ID": f"<{n.dedupe_key.replace(':', '.')}@kendra>"},
        )
        if n.body_html:
            message.attach_alternative(n.body_html, "text/html")
        try:
            message.send()
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise PermanentError(str(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientError(str(exc)) from exc


class ConsoleSmsTransport(Transport):
    """Development SMS: prints the message. Used when no gateway is configured."""

    channel = "sms"

    def send(self, n):
        log.info("SMS to %s: %s", n.address, n.body)
        print(f"[sms] to {n.address}: {n.body}", flush=True)  # noqa: T201


class HttpSmsTransport(Transport):
    """An HTTP SMS gateway: POST JSON, bearer token, our dedupe key as idempotency key."""

    channel = "sms"

    def send(self, n):
        payload = json.dumps({"to": n.address, "text": n.body, "reference": n.dedupe_key})
        request = urllib.request.Request(  # noqa: S310 - URL comes from settings
            settings.SMS_GATEWAY_URL,
            data=payload.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                "Idempotency-Key": n.dedupe_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            detail = f"gateway answered {exc.code}: {exc.read()[:200]!r}"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise PermanentError(detail) from exc
            raise TransientError(detail) from exc
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise TransientError(f"gateway unreachable: {exc}") from exc


class InAppTransport(Transport):
    """Nothing to deliver: the row is the message, shown on the notifications page."""

    channel = "in_app"

    def send(self, n):
        return None


def transport_for(channel):
    if channel == "sms":
        return HttpSmsTransport() if settings.SMS_GATEWAY_URL else ConsoleSmsTransport()
    return TRANSPORTS[channel]()


TRANSPORTS = {
    "email": EmailTransport,
    "sms": ConsoleSmsTransport,
    "in_app": InAppTransport,
}
