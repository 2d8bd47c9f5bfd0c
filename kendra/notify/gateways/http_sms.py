"""An HTTP SMS gateway with India's DLT fields (SMS_PROVIDER=http).

POST SMS_GATEWAY_URL, JSON, bearer token, our dedupe key as Idempotency-Key:

    {"to": "+919812345678", "sender": "KENDRA", "entity_id": "1101…",
     "template_id": "1107…", "variables": ["Asha", "…"], "text": "Namaste Asha. …",
     "reference": "r12:sms:checkin:2026-12-02"}

The answer is read: {"status": "accepted", "message_id": "…"} is sent; a 2xx whose body
says rejected/failed/invalid (or "ok": false, or an "error") is a permanent failure with the
gateway's reason. The message id comes back in the delivery callbacks.
"""

from django.conf import settings

from .. import templates
from ..errors import PermanentError, Transport
from ._http import describe, post_json

REJECTED = frozenset({"rejected", "failed", "error", "invalid", "undelivered"})


class HttpSmsTransport(Transport):
    channel = "sms"

    def payload(self, n):
        entity, sender, _ids = templates.dlt_config(n.centre_id)
        template_id = templates.dlt_template_id(n.kind, n.language, n.centre_id)
        if entity and not template_id:
            # Registered SMS in force: an unregistered text would be dropped by the operator.
            raise PermanentError(
                f"no DLT template id for {n.kind}.{templates.language_of(n.language)}",
                "no_template",
            )
        return {
            "to": n.address,
            "sender": sender,
            "entity_id": entity,
            "template_id": template_id,
            "variables": list(n.variables or []),
            "text": n.body,
            "reference": n.dedupe_key,
        }

    def send(self, n):
        _status, body = post_json(
            settings.SMS_GATEWAY_URL,
            self.payload(n),
            {
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                "Idempotency-Key": n.dedupe_key,
            },
            settings.SMS_GATEWAY_TIMEOUT,
        )
        return read_answer(body)


def read_answer(body):
    """The provider's message id from a 2xx answer; PermanentError if it says rejected."""
    status = str(body.get("status", "")).lower()
    if status in REJECTED or body.get("ok") is False or body.get("error") or body.get("errors"):
        reason = describe(body) or status or "rejected"
        code = "refused" if "number" in reason.lower() else "gateway_refused"
        raise PermanentError(f"gateway rejected the message: {reason}", code)
    return str(body.get("message_id") or body.get("id") or "")[:128]
