"""WhatsApp Business Platform, Cloud API (WHATSAPP_PROVIDER=cloud_api).

POST {WHATSAPP_API_URL}/{WHATSAPP_PHONE_NUMBER_ID}/messages with the bearer token. Kendra
starts conversations, so a message is an approved template (name, language, body
parameters: the row's `variables`):

    {"messaging_product": "whatsapp", "recipient_type": "individual",
     "to": "919812345678", "type": "template",
     "template": {"name": "kendra_checkin", "language": {"code": "hi"},
                  "components": [{"type": "body",
                                  "parameters": [{"type": "text", "text": "Asha"}, …]}]}}

Free text ("type": "text") only inside the 24 hours after the person last wrote to
Kendra (ConversationWindow, recorded by the webhook). The answer carries the message id
("messages": [{"id": "wamid…"}]), matched by the status webhooks (webhooks.py); an error
answer's code decides retry (rate limits, Meta's temporary errors) or refusal.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .. import templates
from ..errors import PermanentError, TransientError, Transport
from ..models import ConversationWindow
from ..webhooks import e164
from ._http import describe, post_json

WINDOW = dt.timedelta(hours=24)
# Meta's error codes that mean "later": throttling and temporary trouble on their side.
RETRY_LATER = frozenset({1, 2, 4, 80007, 130429, 131000, 131048, 131056, 133004})
# The token is expired or lacks permission.
CREDENTIALS = frozenset({0, 10, 190, 200})


def window_open(address, now=None):
    now = now or timezone.now()
    return ConversationWindow.objects.filter(
        number=e164(address), last_inbound_at__gt=now - WINDOW
    ).exists()


def payload(n):
    base = {"messaging_product": "whatsapp", "recipient_type": "individual"}
    base["to"] = e164(n.address).lstrip("+")
    if window_open(n.address):
        return {**base, "type": "text", "text": {"preview_url": False, "body": n.body}}
    if n.kind not in templates.REGISTRY:
        raise PermanentError(f"no WhatsApp template for {n.kind}", "no_template")
    template = templates.REGISTRY[n.kind]
    parameters = [{"type": "text", "text": value} for value in n.variables or []]
    return {
        **base,
        "type": "template",
        "template": {
            "name": templates.whatsapp_name(template.kind),
            "language": {"code": templates.language_of(n.language)},
            "components": [{"type": "body", "parameters": parameters}] if parameters else [],
        },
    }


class WhatsAppCloudTransport(Transport):
    channel = "whatsapp"

    def send(self, n):
        url = (
            f"{settings.WHATSAPP_API_URL.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        )
        headers = {"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}"}
        try:
            _status, body = post_json(url, payload(n), headers, settings.WHATSAPP_TIMEOUT)
        except PermanentError as exc:
            code = ((getattr(exc, "body", None) or {}).get("error") or {}).get("code")
            if code in RETRY_LATER:
                raise TransientError(str(exc)) from exc
            if code in CREDENTIALS:
                raise PermanentError(str(exc), "credentials") from exc
            raise
        messages = body.get("messages") or []
        message_id = messages[0].get("id") if messages and isinstance(messages[0], dict) else ""
        if not message_id:
            reason = describe(body) or "the answer carried no message id"
            raise PermanentError(
                f"WhatsApp did not accept the message: {reason}", "gateway_refused"
            )
        return str(message_id)[:128]
