"""WhatsApp through a fake Cloud API on loopback (tests/loopback.py): template payloads as
Meta documents them, signed status webhooks, the 24-hour window, the fallback to SMS."""

import hashlib
import hmac
import json
import logging
import time

import pytest
from django.urls import reverse

from kendra.models import Profile
from kendra.notify import outbox, tasks
from kendra.notify.models import ConversationWindow, Notification

from ..factories import ResidentFactory

SECRET = "app-secret-for-tests"  # noqa: S105
NUMBER = "+919812345678"


@pytest.fixture
def no_broker(monkeypatch):
    handed = []
    monkeypatch.setattr(
        outbox, "queue_send", lambda pks, queue=None: handed.extend(pks) or list(pks)
    )
    return handed


@pytest.fixture
def wa(settings, whatsapp_api, gateway):
    settings.WHATSAPP_PROVIDER = "cloud_api"
    settings.WHATSAPP_API_URL = whatsapp_api.url
    settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.WHATSAPP_TOKEN = "wa-token"  # noqa: S105
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"  # noqa: S105
    settings.SMS_GATEWAY_URL = gateway.url
    return whatsapp_api


@pytest.fixture
def resident(centre):
    return ResidentFactory(
        centre=centre, full_name="Asha Patil", phone=NUMBER, preferred_language="hi"
    )


@pytest.fixture
def counselor_on_whatsapp(counselor):
    Profile.objects.create(user=counselor, phone="+919800000001", message_channel="whatsapp")
    return counselor


def help_message(user, resident, slot="1"):
    return outbox.enqueue(
        "help",
        slot=slot,
        user=user,
        channel="sms",
        context={"resident": resident, "alert": None},
    )


def signed_post(client, payload, secret=SECRET):
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return client.post(
        reverse("whatsapp_webhook"),
        raw,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature},
    )


def statuses(*items):
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA",
                "changes": [
                    {
                        "field": "messages",
                        "value": {"messaging_product": "whatsapp", "statuses": list(items)},
                    }
                ],
            }
        ],
    }


def status(message_id, name, **extra):
    return {
        "id": message_id,
        "status": name,
        "timestamp": str(int(time.time())),
        "recipient_id": "919800000001",
        **extra,
    }


def inbound(number):
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messages": [
                                {
                                    "from": number,
                                    "id": "wamid.IN",
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": "thik hoon"},
                                }
                            ]
                        },
                    }
                ]
            }
        ],
    }


def test_a_preference_for_whatsapp_sends_a_template_as_meta_documents_it(
    wa, counselor_on_whatsapp, resident, no_broker, client
):
    n = help_message(counselor_on_whatsapp, resident)
    assert n.channel == "whatsapp" and n.address == "+919800000001"
    assert n.variables == ["Asha Patil", NUMBER]
    assert tasks.send_notification(n.pk) == "sent"

    path, headers, body = wa.requests[0]
    assert path == "/v21.0/106540352242922/messages"
    assert headers["Authorization"] == "Bearer wa-token"
    assert body["messaging_product"] == "whatsapp"
    assert body["to"] == "919800000001"
    assert body["type"] == "template"
    assert body["template"]["name"] == "kendra_help"
    assert body["template"]["language"]["code"] == "en"
    assert body["template"]["components"] == [
        {
            "type": "body",
            "parameters": [
                {"type": "text", "text": "Asha Patil"},
                {"type": "text", "text": NUMBER},
            ],
        }
    ]
    n.refresh_from_db()
    assert n.status == "sent" and n.provider_message_id == "wamid.TEST1"

    # Meta's status webhooks, signed: each moves the row forward.
    assert signed_post(client, statuses(status("wamid.TEST1", "sent"))).status_code == 200
    assert signed_post(client, statuses(status("wamid.TEST1", "delivered"))).status_code == 200
    n.refresh_from_db()
    assert n.provider_status == "delivered" and n.delivered_at is not None
    assert signed_post(client, statuses(status("wamid.TEST1", "read"))).status_code == 200
    n.refresh_from_db()
    assert n.provider_status == "read" and n.read_at is not None


def test_a_replayed_or_late_status_changes_nothing(
    wa, counselor_on_whatsapp, resident, no_broker, client
):
    n = help_message(counselor_on_whatsapp, resident)
    tasks.send_notification(n.pk)
    signed_post(client, statuses(status("wamid.TEST1", "read")))
    n.refresh_from_db()
    before = (n.status, n.provider_status, n.read_at, n.delivered_at)
    for name in ("read", "delivered", "sent"):
        assert signed_post(client, statuses(status("wamid.TEST1", name))).status_code == 200
    n.refresh_from_db()
    assert (n.status, n.provider_status, n.read_at, n.delivered_at) == before


def test_an_unsigned_or_wrongly_signed_webhook_is_refused_and_logged(
    wa, counselor_on_whatsapp, resident, no_broker, client, caplog
):
    n = help_message(counselor_on_whatsapp, resident)
    tasks.send_notification(n.pk)
    payload = statuses(status("wamid.TEST1", "failed"))
    url = reverse("whatsapp_webhook")
    with caplog.at_level(logging.WARNING, logger="kendra.notify.views"):
        unsigned = client.post(url, json.dumps(payload), content_type="application/json")
        wrong = signed_post(client, payload, secret="not-the-secret")  # noqa: S106
    assert unsigned.status_code == 403 and wrong.status_code == 403
    n.refresh_from_db()
    assert n.status == "sent" and n.provider_status == ""
    assert not Notification.objects.filter(fallback_of=n).exists()
    logged = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(logged) == 2 and "no signature" in logged[0] and "wrong signature" in logged[1]
    assert not any("wamid" in line or "failed" in line for line in logged)  # no body content


def test_an_unknown_message_id_is_answered_200_and_changes_nothing(wa, client, caplog, db):
    with caplog.at_level(logging.INFO):
        answer = signed_post(client, statuses(status("wamid.NOBODY", "failed")))
    assert answer.status_code == 200
    assert not Notification.objects.exists()
    assert any("unknown message id" in r.getMessage() for r in caplog.records)


def test_the_set_up_handshake_answers_the_challenge_only_with_our_token(wa, client, db):
    url = reverse("whatsapp_webhook")
    ok = client.get(
        url,
        {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get(
        url, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    )
    assert bad.status_code == 403


def test_free_text_only_inside_the_window_the_person_opened(
    wa, counselor_on_whatsapp, resident, no_broker, client
):
    # A number Kendra does not know opens nothing.
    assert signed_post(client, inbound("919999999999")).status_code == 200
    assert not ConversationWindow.objects.exists()
    assert signed_post(client, inbound("919800000001")).status_code == 200
    assert ConversationWindow.objects.get().number == "+919800000001"
    n = help_message(counselor_on_whatsapp, resident)
    tasks.send_notification(n.pk)
    body = wa.requests[0][2]
    assert body["type"] == "text" and body["text"]["body"] == n.body
    assert "Asha Patil" in n.body


def test_a_permanent_whatsapp_failure_falls_back_to_sms_once(
    wa, gateway, counselor_on_whatsapp, resident, no_broker
):
    wa.error = (400, 131026, "Message undeliverable")
    n = help_message(counselor_on_whatsapp, resident)
    assert tasks.send_notification(n.pk) == "fell back"
    n.refresh_from_db()
    assert n.status == "failed" and n.reason == "fell_back"
    assert "131026" in n.last_error and "undeliverable" in n.last_error
    sms = Notification.objects.get(fallback_of=n)
    assert sms.channel == "sms" and sms.address == "+919800000001"
    assert sms.variables == n.variables and "Asha Patil" in sms.body
    assert tasks.send_notification(sms.pk) == "sent"
    assert [r["to"] for r in gateway.requests] == ["+919800000001"]
    # Once: a second failure of the same WhatsApp row writes no second SMS.
    from kendra.notify import fallback

    assert fallback.to_sms(n, "again") is None
    assert Notification.objects.filter(channel="sms").count() == 1


def test_a_failed_status_webhook_falls_back_to_sms_once(
    wa, counselor_on_whatsapp, resident, no_broker, client
):
    n = help_message(counselor_on_whatsapp, resident)
    tasks.send_notification(n.pk)
    failed = status(
        "wamid.TEST1",
        "failed",
        errors=[
            {"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable"}
        ],
    )
    for _twice in range(2):  # replayed: still one SMS
        assert signed_post(client, statuses(failed)).status_code == 200
    n.refresh_from_db()
    assert n.status == "failed" and n.reason == "fell_back" and "131026" in n.last_error
    assert Notification.objects.filter(fallback_of=n, channel="sms").count() == 1
    assert no_broker == [] or len(no_broker) <= 1


def test_without_whatsapp_set_up_a_preference_for_it_keeps_sms(
    counselor_on_whatsapp, resident, no_broker, settings
):
    settings.WHATSAPP_PROVIDER = ""
    settings.WHATSAPP_PHONE_NUMBER_ID = ""
    assert help_message(counselor_on_whatsapp, resident).channel == "sms"
