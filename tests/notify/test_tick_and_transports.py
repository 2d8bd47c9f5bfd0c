"""The reminder tick's promises of issue 18 (a poisoned plan, plan edits, what counts as
missed) and how transports tell a passing failure from a permanent refusal."""

import io
import smtplib
import urllib.error

import pytest
from django.test import override_settings

from checkins import reminders, schedule
from checkins.forms import ReminderPlanForm
from checkins.models import ReminderPlan
from kendra.notify import outbox, tasks
from kendra.notify.models import Notification, ReminderProblem
from kendra.notify.transports import (
    EmailTransport,
    HttpSmsTransport,
    PermanentError,
    TransientError,
)

from ..checkins.conftest import at, make_plan


@pytest.fixture
def no_broker(monkeypatch):
    handed = []
    monkeypatch.setattr(outbox, "queue_send", lambda pks, queue=None: handed.extend(pks) or pks)
    return handed


def test_a_poisoned_plan_is_skipped_and_every_other_plans_reminder_is_written(
    centre, no_broker, monkeypatch, as_user, centre_admin
):
    plans = [make_plan(centre, due=at("2026-11-22 09:00")) for _ in range(5)]
    poisoned, bad_recipient = plans[1], plans[3]
    real_next_due = schedule.next_due

    def next_due(plan, *args, **kwargs):
        if plan.pk == poisoned.pk:
            raise ValueError("corrupt cadence")
        return real_next_due(plan, *args, **kwargs)

    real_render = outbox.render

    def render(kind, context, language):
        if context.get("resident") and context["resident"].pk == bad_recipient.resident_id:
            raise KeyError("broken template context")
        return real_render(kind, context, language)

    monkeypatch.setattr(schedule, "next_due", next_due)
    monkeypatch.setattr(outbox, "render", render)
    assert reminders.write_due_checkin_reminders(at("2026-11-22 09:00")) == 3
    written = set(Notification.objects.values_list("recipient_resident_id", flat=True))
    assert written == {p.resident_id for p in plans} - {
        poisoned.resident_id,
        bad_recipient.resident_id,
    }
    for plan in plans:
        plan.refresh_from_db()
    assert plans[1].next_due_at == at("2026-11-22 09:00")  # left due, as it was
    assert plans[3].next_due_at == at("2026-11-22 09:00") and plans[3].last_due_at is None
    assert plans[0].next_due_at == at("2026-11-23 09:00")
    problems = {p.resident_id: p.error for p in ReminderProblem.objects.all()}
    assert problems == {
        poisoned.resident_id: "ValueError: corrupt cadence",
        bad_recipient.resident_id: "KeyError: 'broken template context'",
    }
    page = as_user(centre_admin).get("/notifications/not-delivered/").text
    assert "Reminders that could not be written" in page and "corrupt cadence" in page
    # Mended: the next tick writes them and the problems go away.
    monkeypatch.setattr(schedule, "next_due", real_next_due)
    monkeypatch.setattr(outbox, "render", real_render)
    assert reminders.write_due_checkin_reminders(at("2026-11-22 09:01")) == 2
    assert not ReminderProblem.objects.exists()


def test_a_batch_of_poisoned_plans_does_not_loop_the_tick(centre, no_broker, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 2)
    for _ in range(3):
        make_plan(centre, due=at("2026-11-22 09:00"))
    monkeypatch.setattr(schedule, "next_due", lambda *a, **k: 1 / 0)
    assert reminders.write_due_checkin_reminders(at("2026-11-22 09:00")) == 0
    assert (
        ReminderProblem.objects.get(key__endswith=str(ReminderPlan.objects.first().pk)).times == 1
    )


def test_a_plan_form_loaded_before_a_tick_keeps_the_ticks_fields(centre, no_broker, counselor):
    from checkins import actions

    plan = make_plan(centre, due=at("2026-11-20 09:00"))
    reminders.write_due_checkin_reminders(at("2026-11-20 09:00"))
    loaded = ReminderPlan.objects.get(pk=plan.pk)  # the form is opened …
    form = ReminderPlanForm(
        {"cadence": "auto", "local_time": "08:30", "channel": "sms", "paused": ""},
        instance=loaded,
    )
    reminders.write_due_checkin_reminders(at("2026-11-21 09:00"))  # … the tick runs …
    assert form.is_valid(), form.errors
    actions.save_plan(form, counselor)  # … and the form is submitted
    plan.refresh_from_db()
    assert plan.last_due_at == at("2026-11-21 09:00") and plan.missed_in_a_row == 1
    assert plan.local_time.strftime("%H:%M") == "08:30"


@pytest.mark.parametrize("status", ["cancelled", "failed", "expired", None])
def test_a_reminder_that_never_reached_the_person_is_not_counted_missed(centre, no_broker, status):
    plan = make_plan(centre, due=at("2026-11-20 09:00"))
    if status is None:  # not even written: no phone by then
        plan.resident.phone = ""
        plan.resident.save()
    reminders.write_due_checkin_reminders(at("2026-11-20 09:00"))
    if status:
        Notification.objects.update(status=status)
    else:
        plan.resident.phone = "+919800011111"
        plan.resident.save()
    reminders.write_due_checkin_reminders(at("2026-11-21 09:00"))
    plan.refresh_from_db()
    assert plan.missed_in_a_row == 0


def test_a_check_in_reminder_expires_at_the_end_of_its_day(centre, no_broker):
    make_plan(centre, due=at("2026-11-22 09:00"))
    reminders.write_due_checkin_reminders(at("2026-11-22 09:00"))
    assert Notification.objects.get().expires_at == at("2026-11-23 00:00")


def test_the_sweep_expires_what_waited_too_long(centre, counselor, no_broker):
    n = outbox.enqueue("message", slot="x", user=counselor, context={"subject": "s", "body": "b"})
    outbox.sweep(n.expires_at)
    n.refresh_from_db()
    assert n.status == "expired" and n.reason == "expired" and n.attempts == 0


def test_urgent_kinds_go_on_the_urgent_queue(centre, counselor, monkeypatch, resident):
    queues = []
    monkeypatch.setattr(outbox, "queue_send", lambda pks, queue=None: queues.append(queue))
    outbox.enqueue("help", slot="h", user=counselor, context={"resident": resident})
    outbox.enqueue("message", slot="m", user=counselor, context={"subject": "s", "body": "b"})
    from django.db import connection

    for callback in connection.run_on_commit:
        callback[1]()
    assert queues == ["urgent", None]


def _http_error(code):
    return urllib.error.HTTPError("http://gw", code, "x", {}, io.BytesIO(b"nope"))


@pytest.mark.parametrize(
    "code,expected,reason",
    [
        (400, PermanentError, "refused"),
        (404, PermanentError, "refused"),
        (422, PermanentError, "refused"),
        (401, PermanentError, "credentials"),
        (403, PermanentError, "credentials"),
        (408, TransientError, None),
        (429, TransientError, None),
        (500, TransientError, None),
        (503, TransientError, None),
    ],
)
@override_settings(SMS_GATEWAY_URL="http://127.0.0.1:9/send")
def test_the_sms_gateway_answer_decides_retry_or_refusal(monkeypatch, code, expected, reason):
    def answer(*args, **kwargs):
        raise _http_error(code)

    monkeypatch.setattr("urllib.request.urlopen", answer)
    n = Notification(address="+919800000000", body="b", dedupe_key="k")
    with pytest.raises(expected) as caught:
        HttpSmsTransport().send(n)
    assert getattr(caught.value, "reason", None) == reason


@pytest.mark.parametrize(
    "error,expected,reason",
    [
        (smtplib.SMTPRecipientsRefused({"a@b": (550, b"no such user")}), PermanentError, "refused"),
        (smtplib.SMTPRecipientsRefused({"a@b": (451, b"try later")}), TransientError, None),
        (smtplib.SMTPAuthenticationError(535, b"bad login"), PermanentError, "credentials"),
        (smtplib.SMTPSenderRefused(553, b"no", "k@x"), PermanentError, "sender_refused"),
        (smtplib.SMTPDataError(421, b"busy"), TransientError, None),
        (smtplib.SMTPServerDisconnected("gone"), TransientError, None),
        (ConnectionRefusedError(111, "refused"), TransientError, None),
        (TimeoutError("timed out"), TransientError, None),
    ],
)
def test_the_mail_server_answer_decides_retry_or_refusal(monkeypatch, error, expected, reason):
    def send(self, *args, **kwargs):
        raise error

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send)
    n = Notification(address="a@b", subject="s", body="b", dedupe_key="k:1")
    with pytest.raises(expected) as caught:
        EmailTransport().send(n)
    assert getattr(caught.value, "reason", None) == reason


def test_a_refused_number_fails_at_once_with_one_attempt(counselor, no_broker, monkeypatch):
    n = outbox.enqueue(
        "message", slot="x", user=counselor, channel="email", context={"subject": "s", "body": "b"}
    )

    def refuse(self, notification):
        raise PermanentError("unknown number", "refused")

    monkeypatch.setattr(EmailTransport, "send", refuse)
    counselor.email = "x@example.in"
    assert tasks.send_notification(n.pk) == "failed"
    n.refresh_from_db()
    assert (n.status, n.reason, n.attempts) == ("failed", "refused", 1)
