"""Registered SMS (India's DLT): every kind has a template per language, the gateway gets
the entity id, sender header, template id and variables, and its answer is read."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from kendra.checks import registered_message_templates
from kendra.models import Profile
from kendra.notify import outbox, tasks, templates
from kendra.notify.gateways.http_sms import HttpSmsTransport
from kendra.notify.models import Notification
from kendra.notify.transports import PermanentError

from ..factories import ResidentFactory

ALL_IDS = {
    f"{kind}.{lang}": f"1107{i:04d}{j}"
    for i, kind in enumerate(templates.REGISTRY)
    for j, lang in enumerate(templates.LANGUAGES)
}


@pytest.fixture
def no_broker(monkeypatch):
    handed = []
    monkeypatch.setattr(
        outbox, "queue_send", lambda pks, queue=None: handed.extend(pks) or list(pks)
    )
    return handed


@pytest.fixture
def dlt(settings, gateway):
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_DLT_ENTITY_ID = "1101234567890123456"
    settings.SMS_DLT_SENDER = "KENDRA"
    settings.SMS_DLT_TEMPLATE_IDS = dict(ALL_IDS)
    return gateway


@pytest.fixture
def phone_counselor(counselor):
    Profile.objects.create(user=counselor, phone="+919800000001", language="hi")
    return counselor


def help_sms(user, resident, slot="1"):
    return outbox.enqueue(
        "help", slot=slot, user=user, channel="sms", context={"resident": resident, "alert": None}
    )


def test_the_gateway_gets_entity_id_header_template_id_and_variables(
    dlt, phone_counselor, centre, no_broker
):
    resident = ResidentFactory(centre=centre, full_name="Asha Patil", phone="+919812345678")
    dlt.answer = b'{"status": "accepted", "message_id": "gw-42"}'
    n = help_sms(phone_counselor, resident)
    assert n.language == "hi" and n.variables == ["Asha Patil", "+919812345678"]
    assert n.body == templates.text_for("help", "hi", n.variables)
    assert tasks.send_notification(n.pk) == "sent"
    sent = dlt.requests[0]
    assert sent["entity_id"] == "1101234567890123456"
    assert sent["sender"] == "KENDRA"
    assert sent["template_id"] == ALL_IDS["help.hi"]
    assert sent["variables"] == ["Asha Patil", "+919812345678"]
    assert sent["to"] == "+919800000001" and sent["text"] == n.body
    n.refresh_from_db()
    assert n.status == "sent" and n.provider_message_id == "gw-42"


@pytest.mark.parametrize(
    "answer,reason,words",
    [
        (
            b'{"status": "rejected", "reason": "DLT template mismatch"}',
            "gateway_refused",
            "mismatch",
        ),
        (b'{"status": "failed", "reason": "invalid number"}', "refused", "invalid number"),
        (b'{"ok": false, "error": "sender header not approved"}', "gateway_refused", "header"),
    ],
)
def test_a_200_that_says_rejected_fails_the_row_with_the_gateways_reason(
    dlt, phone_counselor, centre, no_broker, answer, reason, words
):
    dlt.answer = answer
    n = help_sms(phone_counselor, ResidentFactory(centre=centre))
    assert tasks.send_notification(n.pk) == "failed"
    n.refresh_from_db()
    assert n.status == "failed" and n.reason == reason and words in n.last_error
    assert len(dlt.requests) == 1  # not retried


def test_a_variable_over_30_characters_fails_the_row_when_written(
    dlt, phone_counselor, centre, no_broker
):
    long_name = "Ramchandra Venkatanarayana Subramaniam"  # 38 characters
    n = help_sms(phone_counselor, ResidentFactory(centre=centre, full_name=long_name))
    assert n.status == "failed" and n.reason == "variable_too_long"
    assert "'name' has 38 characters" in n.last_error and "30" in n.last_error
    assert no_broker == []  # never handed to the gateway
    assert tasks.send_notification(n.pk) == "not claimed"
    assert dlt.requests == []


def test_a_missing_template_id_refuses_to_send_an_unregistered_text(
    dlt, settings, phone_counselor, centre, no_broker
):
    settings.SMS_DLT_TEMPLATE_IDS = {k: v for k, v in ALL_IDS.items() if k != "help.hi"}
    n = help_sms(phone_counselor, ResidentFactory(centre=centre))
    with pytest.raises(PermanentError) as caught:
        HttpSmsTransport().send(n)
    assert caught.value.reason == "no_template" and "help.hi" in str(caught.value)


def test_a_centre_registered_separately_uses_its_own_ids(dlt, settings, centre):
    settings.SMS_DLT_CENTRES = {
        str(centre.pk): {"entity_id": "1109", "sender": "NAVJVN", "templates": {"help.en": "77"}}
    }
    assert templates.dlt_config(centre.pk)[:2] == ("1109", "NAVJVN")
    assert templates.dlt_template_id("help", "en", centre.pk) == "77"
    assert templates.dlt_template_id("help", "hi", centre.pk) == ALL_IDS["help.hi"]
    assert templates.dlt_template_id("help", "en", None) == ALL_IDS["help.en"]


def test_every_kind_kendra_writes_has_a_template_in_english_and_hindi():
    folder = Path(django_settings.BASE_DIR) / "templates" / "notify"
    kinds = {p.name.removesuffix("-body.txt") for p in folder.glob("*-body.txt")}
    assert kinds <= set(templates.REGISTRY), kinds - set(templates.REGISTRY)
    for kind, template in templates.REGISTRY.items():
        for lang in templates.LANGUAGES:
            text = template.text[lang]
            assert re.findall(r"\{#(?:var|url)#\}", text) == template.places(), (kind, lang)
            assert "{{" not in text and "%" not in text


def test_messaging_templates_prints_every_kind_and_language_as_registered(settings):
    settings.SMS_DLT_TEMPLATE_IDS = {"help.en": "1107000000000001"}
    out = StringIO()
    call_command("messaging_templates", stdout=out)
    blocks = out.getvalue().split("\n\n")[1:]
    assert len(blocks) == len(templates.REGISTRY) * len(templates.LANGUAGES)
    for block, (kind, lang) in zip(
        blocks,
        [(k, lang) for k in templates.REGISTRY for lang in templates.LANGUAGES],
        strict=True,
    ):
        text = templates.REGISTRY[kind].text[lang]
        assert block.startswith(f"[{kind}] language: {lang}\n")
        assert f"  text: {text}\n" in block
        assert f"  characters: {len(text)}\n" in block
        assert f"  WhatsApp template: kendra_{kind} ({lang})" in block
        expected_id = "1107000000000001" if (kind, lang) == ("help", "en") else "not set"
        assert f"  DLT template id: {expected_id}\n" in block


def production(settings, gateway):
    settings.DEBUG = False
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_DLT_ENTITY_ID = "1101234567890123456"
    settings.SMS_DLT_SENDER = "KENDRA"


def test_check_deploy_fails_naming_a_kind_without_a_template_id(settings, gateway):
    production(settings, gateway)
    settings.SMS_DLT_TEMPLATE_IDS = {
        k: v for k, v in ALL_IDS.items() if not k.startswith("checkin.")
    }
    errors = registered_message_templates()
    assert [e.id for e in errors] == ["kendra.E004"]
    assert "'checkin'" in errors[0].msg and "checkin.en, checkin.hi" in errors[0].msg
    with pytest.raises(SystemCheckError, match="checkin"):
        call_command("check", "--deploy", "--tag", "kendra", stdout=StringIO(), stderr=StringIO())
    settings.SMS_DLT_TEMPLATE_IDS = dict(ALL_IDS)
    assert registered_message_templates() == []


def test_the_check_is_quiet_in_development_and_with_the_console_sms(settings):
    settings.DEBUG = True
    assert registered_message_templates() == []
    settings.DEBUG = False
    settings.SMS_GATEWAY_URL = ""
    assert registered_message_templates() == []


def test_a_written_row_keeps_the_link_placeholder_and_the_sent_copy_has_the_link(
    dlt, centre, no_broker
):
    from kendra.notify import fill

    resident = ResidentFactory(centre=centre, full_name="Asha", phone="+919812345678")
    n = outbox.enqueue(
        "checkin", slot="s", resident=resident, context={"link": fill.LINK, "name": "Asha"}
    )
    assert n.variables == ["Asha", fill.LINK] and fill.LINK in n.body
    sent = fill.filled(n, {n.pk: "https://kendra.example.in/c/abc"})
    assert sent.variables == ["Asha", "https://kendra.example.in/c/abc"]
    assert "https://kendra.example.in/c/abc" in sent.body
    assert Notification.objects.get(pk=n.pk).variables == ["Asha", fill.LINK]


def signed(client, payload, secret="sms-secret"):  # noqa: S107
    import hashlib
    import hmac
    import json

    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return client.post(
        reverse("sms_status_webhook"),
        raw,
        content_type="application/json",
        headers={"X-Signature-256": signature},
    )


def test_the_gateways_delivery_reports_are_matched_by_its_message_id(
    dlt, settings, phone_counselor, centre, no_broker, client
):
    settings.SMS_GATEWAY_WEBHOOK_SECRET = "sms-secret"  # noqa: S105
    dlt.answer = b'{"status": "accepted", "message_id": "gw-7"}'
    n = help_sms(phone_counselor, ResidentFactory(centre=centre))
    tasks.send_notification(n.pk)
    assert signed(client, {"message_id": "gw-7", "status": "delivered"}).status_code == 200
    n.refresh_from_db()
    assert n.provider_status == "delivered" and n.delivered_at and n.status == "sent"
    report = {"message_id": "gw-7", "status": "delivered"}
    assert signed(client, report, secret="guess").status_code == 403  # noqa: S106
    assert signed(client, {"message_id": "gw-unknown", "status": "failed"}).status_code == 200
    n.refresh_from_db()
    assert n.status == "sent"


def test_a_row_failed_for_a_long_value_is_not_offered_to_send_again(
    dlt, phone_counselor, centre, no_broker
):
    from kendra.notify import undelivered

    long_name = "Ramchandra Venkatanarayana Subramaniam"
    n = help_sms(phone_counselor, ResidentFactory(centre=centre, full_name=long_name))
    assert not undelivered.may_send_again(n)
    assert "longer than its registered SMS template" in undelivered.refusal(n)
