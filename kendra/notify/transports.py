"""Transports behind one registry and base class (after healthchecks' hc/api/transports.py).

A transport raises PermanentError for a failure that will not mend by retrying (bad
address or unknown number: 400/404/422, an SMTP 5xx refusal of the recipient; refused
credentials: 401/403, SMTP 535) and TransientError for one that may: connection refused,
timeouts, 408/429 ("try later"), 5xx, SMTP 4xx. A PermanentError carries the reason
(Notification.Reason) the not-delivered page shows.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string

from .errors import PermanentError, TransientError, Transport, TransportError
from .gateways.http_sms import HttpSmsTransport

log = logging.getLogger(__name__)


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


class ConsoleWhatsAppTransport(Transport):
    """Development WhatsApp: prints the message (a production check refuses it)."""

    channel = "whatsapp"

    def send(self, n):
        log.info("WhatsApp to %s: %s", n.address, n.body)
        print(f"[whatsapp] to {n.address}: {n.body}", flush=True)  # noqa: T201


class InAppTransport(Transport):
    """Nothing to deliver: the row is the message, shown on the notifications page."""

    channel = "in_app"

    def send(self, n):
        return None


# The provider behind each phone channel, chosen in settings (gateways/, one module per
# provider API shape). A transport's send() returns the provider's id for the message, if
# any: it is stored on the row and matched by the status callbacks.
PROVIDERS = {
    "sms": {
        "console": "kendra.notify.transports.ConsoleSmsTransport",
        "http": "kendra.notify.gateways.http_sms.HttpSmsTransport",
    },
    "whatsapp": {
        "console": "kendra.notify.transports.ConsoleWhatsAppTransport",
        "cloud_api": "kendra.notify.gateways.whatsapp_cloud.WhatsAppCloudTransport",
    },
}


def provider(channel):
    """The provider name in force for `channel` ("" for email and in-app)."""
    if channel == "sms":
        return settings.SMS_PROVIDER or ("http" if settings.SMS_GATEWAY_URL else "console")
    if channel == "whatsapp":
        return settings.WHATSAPP_PROVIDER or (
            "cloud_api" if settings.WHATSAPP_PHONE_NUMBER_ID else "console"
        )
    return ""


def whatsapp_offered():
    return bool(settings.WHATSAPP_PROVIDER or settings.WHATSAPP_PHONE_NUMBER_ID)


def transport_for(channel):
    if channel in PROVIDERS:
        return import_string(PROVIDERS[channel][provider(channel)])()
    return TRANSPORTS[channel]()


TRANSPORTS = {
    "email": EmailTransport,
    "sms": ConsoleSmsTransport,
    "in_app": InAppTransport,
}

__all__ = [
    "HttpSmsTransport",  # where it lived before gateways/
    "PermanentError",
    "TransientError",
    "Transport",
    "TransportError",
]
