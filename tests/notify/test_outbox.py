import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from kendra.notify import outbox, tasks
from kendra.notify.models import Notification
from kendra.notify.transports import PermanentError, TransientError


@pytest.fixture
def no_broker(monkeypatch):
    """Record what would be handed to the broker instead of sending it."""
    handed = []
    monkeypatch.setattr(
        outbox, "queue_send", lambda pks, queue=None: handed.extend(pks) or list(pks)
    )
    return handed


def message(user=None, resident=None, slot="2026-11-22", channel=None):
    return outbox.enqueue(
        "message",
        slot=slot,
        user=user,
        resident=resident,
        channel=channel,
        context={"subject": "Namaste", "body": "Circle at 7 am"},
    )


def test_it_writes_one_row_per_slot(counselor, no_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = message(user=counselor)
        second = message(user=counselor)
    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert no_broker == [first.pk]


def test_it_renders_in_the_recipients_language(resident, no_broker):
    resident.phone = "+919811112222"
    resident.preferred_language = "hi"
    n = message(resident=resident)
    assert n.language == "hi" and n.address == "+919811112222" and n.channel == "sms"


def test_it_refuses_a_recipient_without_an_address(resident):
    with pytest.raises(outbox.RecipientError):
        message(resident=resident, channel="email")


def test_a_claimed_row_cannot_be_claimed_twice(counselor, no_broker):
    n = message(user=counselor)
    assert outbox.claim(n.pk) is not None
    assert outbox.claim(n.pk) is None


def test_it_sends_an_email_and_records_it(counselor, no_broker):
    n = message(user=counselor, channel="email")
    assert tasks.send_notification(n.pk) == "sent"
    assert tasks.send_notification(n.pk) == "not claimed"
    n.refresh_from_db()
    assert n.status == "sent" and n.sent_at and n.attempts == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Namaste"


def test_a_permanent_failure_is_recorded_and_not_retried(counselor, no_broker, monkeypatch):
    n = message(user=counselor, channel="email")

    def refuse(self, notification):
        raise PermanentError("mailbox does not exist")

    monkeypatch.setattr("kendra.notify.transports.EmailTransport.send", refuse)
    assert tasks.send_notification(n.pk) == "failed"
    n.refresh_from_db()
    assert n.status == "failed" and "does not exist" in n.last_error
    assert outbox.sweep(timezone.now() + dt.timedelta(hours=2)) == 0


def test_a_passing_failure_is_retried_until_the_message_expires(counselor, no_broker, monkeypatch):
    n = message(user=counselor, channel="email")
    monkeypatch.setattr(
        "kendra.notify.transports.EmailTransport.send",
        lambda self, notification: (_ for _ in ()).throw(TransientError("timeout")),
    )
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda *a, **k: None)
    results = [tasks.send_notification(n.pk) for _ in range(8)]  # more than the old budget
    assert results == ["retry"] * 8
    n.refresh_from_db()
    assert n.status == "queued" and n.attempts == 8 and n.next_attempt_at
    Notification.objects.filter(pk=n.pk).update(expires_at=timezone.now())
    assert tasks.send_notification(n.pk) == "expired"
    n.refresh_from_db()
    assert n.status == "expired" and n.attempts == 8  # expiring is not a try


def test_the_sweep_requeues_lost_rows(counselor, no_broker):
    n = message(user=counselor)
    later = timezone.now() + dt.timedelta(minutes=5)
    assert outbox.sweep(later) == 1
    outbox.claim(n.pk)  # a worker took it and died
    much_later = timezone.now() + dt.timedelta(minutes=30)
    assert outbox.sweep(much_later) == 1
    n.refresh_from_db()
    assert n.status == "queued"


def test_in_app_notifications_show_with_an_unread_count(as_user, counselor, no_broker):
    n = message(user=counselor)
    tasks.send_notification(n.pk)
    client = as_user(counselor)
    page = client.get("/notifications/").text
    assert "Circle at 7 am" in page and "unread" in page
    client.post("/notifications/read/")
    assert outbox.unread_count(counselor) == 0
