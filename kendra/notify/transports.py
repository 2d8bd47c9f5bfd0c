"""Transports behind one registry and base class (after healthchecks' hc/api/transports.py).

A transport raises PermanentError for a failure that will not mend by retrying (bad
address or unknown number: 400/404/422, an SMTP 5xx refusal of the recipient; refused
credentials: 401/403, SMTP 535) and TransientError for one that may: connection refused,
timeouts, 408/429 ("try later"), 5xx, SMTP 4xx. A PermanentError carries the reason
(Notification.Reason) the not-delivered page shows.
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
    def __init__(self, message, reason="refused"):
        super().__init__(message)
        self.reason = reason


def _smtp_refusal(exc):
    """An SMTP refusal: permanent for a 5xx answer, transient for a 4xx one."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return PermanentError(str(exc), "credentials")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return PermanentError(str(exc), "refused")
        return TransientError(str(exc))
    code = getattr(exc, "smtp_code", 0) or 0
    if 500 <= code < 600:
        reason = "sender_refused" if isinstance(exc, smtplib.SMTPSenderRefused) else "refused"
        return PermanentError(str(exc), reason)
    return TransientError(str(exc))


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
        except smtplib.SMTPException as exc:
            raise _smtp_refusal(exc) from exc
        except OSError as exc:
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
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            detail = f"gateway answered {exc.code}: {exc.read()[:200]!r}"
            if exc.code in (401, 403):
                raise PermanentError(detail, "credentials") from exc
            if 400 <= exc.code < 500 and exc.code not in (408, 425, 429):
                raise PermanentError(detail, "refused") from exc
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
