"""WhatsApp webhooks: delivery statuses and the messages people send (views.whatsapp_webhook);
and the SMS gateway's delivery reports (views.sms_status_webhook), signed the same way
with SMS_GATEWAY_WEBHOOK_SECRET and matched by the message id the gateway gave.

Meta signs every POST with X-Hub-Signature-256: "sha256=" and the HMAC-SHA256 of the raw
body under the app secret (WHATSAPP_APP_SECRET). Anything unsigned or wrongly signed is
refused (403) before it is read. A verified body is a list of changes, each with
`statuses` (sent, delivered, read, failed; `id` is the message id Kendra stored on the
row) and `messages` (what a person wrote; `from` is their number).

- A status moves its row forward only (sent < delivered < read; failed ends it, and the
  message falls back to SMS once, fallback.py): a replayed or late webhook changes nothing.
- A message from a number Kendra knows opens the 24-hour window in which free text may be
  sent to it (ConversationWindow); its content is never read or stored.
- An unknown message id or number is answered 200 (Meta would retry an error for days),
  logged without content, and changes nothing.
"""

import datetime as dt
import hashlib
import hmac
import logging

from django.db.models import Q
from django.utils import timezone

from kendra import phones
from kendra.models import Profile, Resident

from . import fallback
from .models import Channel, ConversationWindow, Notification

log = logging.getLogger(__name__)

RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}
# What SMS gateways call them; WhatsApp's own names are among them.
SMS_STATUSES = {
    **{name: name for name in RANK},
    "accepted": "sent",
    "submitted": "sent",
    "undelivered": "failed",
    "rejected": "failed",
    "expired": "failed",
}


def signature_ok(raw, header, secret):
    """Constant-time check of X-Hub-Signature-256 against the app secret."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def handshake_ok(params, verify_token):
    """Meta's GET when the webhook is set up: hub.mode=subscribe and our verify token."""
    given = params.get("hub.verify_token", "")
    return (
        params.get("hub.mode") == "subscribe"
        and bool(verify_token)
        and hmac.compare_digest(given.encode(), verify_token.encode())
    )


def e164(number):
    """The E.164 spelling of a number as providers write it ("919812345678" → "+919812345678",
    "98123 45678" → "+919812345678" in the default region), by kendra/phones.py; a string
    no library can read keeps its digits behind a + (it then matches nobody)."""
    text = str(number or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        return "+"
    # Providers write the country code without its +; ten digits are a national number.
    spelled = text if text.startswith(("+", "0")) or len(digits) <= 10 else "+" + digits
    return phones.or_none(spelled) or f"+{digits}"


def _when(stamp, now):
    try:
        return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return now


def handle(payload, now=None):
    """Apply a verified webhook body; returns {outcome: count} (nothing of its content)."""
    now = now or timezone.now()
    outcomes = {}
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            for item in value.get("statuses") or []:
                outcome = apply_status(item, now)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            for item in value.get("messages") or []:
                outcome = record_inbound(item, now)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def apply_status(item, now, channel=Channel.WHATSAPP):
    status = SMS_STATUSES.get(str(item.get("status", "")).lower(), "")
    message_id = str(item.get("id") or item.get("message_id") or "")
    if status not in RANK or not message_id:
        return "ignored"
    row = Notification.objects.filter(provider_message_id=message_id, channel=channel).first()
    if row is None:
        log.info("%s status %s for an unknown message id: ignored", channel, status)
        return "unknown message"
    earlier = [s for s, rank in RANK.items() if rank < RANK[status]] + [""]
    at = _when(item.get("timestamp"), now)
    changes = {"provider_status": status}
    if status in ("delivered", "read"):
        changes["delivered_at"] = row.delivered_at or at
    if status == "read":
        changes["read_at"] = at
    moved = Notification.objects.filter(pk=row.pk, provider_status__in=earlier).update(**changes)
    if not moved:
        return "repeated"
    if status == "failed":
        reason = _error_words(item)[:300] or "failed"
        if channel == Channel.WHATSAPP:
            fallback.to_sms(row, reason)
        else:
            Notification.objects.filter(pk=row.pk).update(
                status=Notification.Status.FAILED,
                reason=Notification.Reason.GATEWAY_REFUSED,
                last_error=f"gateway reported it undelivered: {reason}",
            )
    return status


def _error_words(item):
    errors = item.get("errors") or [{}]
    first = errors[0] if isinstance(errors[0], dict) else {}
    words = (first.get("code", ""), first.get("title", ""), first.get("message", ""))
    return " ".join(str(x) for x in words if x) or str(item.get("reason", ""))


def handle_sms(payload, now=None):
    """A verified SMS delivery report: {"statuses": [{"message_id", "status", "reason"}]}
    (or one such object). Same rules as WhatsApp's, without a fallback."""
    now = now or timezone.now()
    items = payload.get("statuses", [payload]) if isinstance(payload, dict) else []
    outcomes = {}
    for item in items if isinstance(items, list) else []:
        outcome = apply_status(item if isinstance(item, dict) else {}, now, Channel.SMS)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _known(number):
    national = number.removeprefix("+91")
    spellings = {number, number.lstrip("+"), national, "0" + national}
    return (
        Resident.objects.filter(phone__in=spellings).exists()
        or Profile.objects.filter(phone__in=spellings).exists()
    )


def record_inbound(item, now):
    number = e164(str(item.get("from", "")))
    if len(number) < 8 or not _known(number):
        log.info("WhatsApp message from a number Kendra does not know: ignored")
        return "unknown number"
    at = min(_when(item.get("timestamp"), now), now)
    window, created = ConversationWindow.objects.get_or_create(
        number=number, defaults={"last_inbound_at": at}
    )
    if not created:
        ConversationWindow.objects.filter(Q(last_inbound_at__lt=at), pk=window.pk).update(
            last_inbound_at=at
        )
    return "window opened"
