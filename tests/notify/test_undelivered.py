"""The "Messages not delivered" page of centre admins, "Send again", the count on home."""

import datetime as dt

import pytest
from django.utils import timezone

from kendra.notify import outbox
from kendra.notify.models import Notification, ReminderProblem

from ..factories import ResidentFactory, member


@pytest.fixture
def handed(monkeypatch):
    got = []
    monkeypatch.setattr(outbox, "queue_send", lambda pks, queue=None: got.extend(pks) or pks)
    monkeypatch.setattr("kendra.notify.undelivered.queue_send", outbox.queue_send)
    return got


def row(centre, status="failed", reason="refused", channel="sms", expires_in=1, **kwargs):
    n = Notification.objects.count()
    return Notification.objects.create(
        centre=centre,
        channel=channel,
        address="+919800000000",
        kind=kwargs.pop("kind", "checkin"),
        slot=f"s{n}",
        dedupe_key=f"k{n}",
        body="How are you feeling today? (never shown on the list)",
        status=status,
        reason=reason,
        expires_at=timezone.now() + dt.timedelta(hours=expires_in),
        **kwargs,
    )


def test_it_lists_what_to_whom_why_and_when_without_the_message_text(
    as_user, centre, centre_admin, counselor
):
    resident = ResidentFactory(centre=centre, full_name="Rahul Sharma")
    row(centre, recipient_resident=resident)
    row(centre, kind="help", channel="sms", recipient_user=counselor, reason="refused")
    row(centre, status="expired", reason="expired", kind="escalation", recipient_user=counselor)
    page = as_user(centre_admin).get("/notifications/not-delivered/").text
    assert "Check-in reminder" in page and "Resident: Rahul Sharma" in page
    assert "Counselor: " in page and "The address or number was refused" in page
    assert "Could not be delivered before it expired" in page
    assert "How are you feeling" not in page
    assert page.count(">Send again<") == 2  # not for the expired one


def test_a_refused_gateway_login_is_one_line_not_a_row_per_message(as_user, centre, centre_admin):
    for _ in range(30):
        row(centre, reason="credentials")
    first = Notification.objects.order_by("created_at").first()
    page = as_user(centre_admin).get("/notifications/not-delivered/").text
    since = timezone.localtime(first.created_at).strftime("%H:%M")
    assert (
        f"SMS gateway refuses Kendra&#x27;s credentials: 30 messages not sent since {since}" in page
    )
    assert "<tbody>" not in page  # no row one by one


def test_send_again_asks_first_then_queues_the_message(
    as_user, centre, centre_admin, handed, django_capture_on_commit_callbacks
):
    n = row(centre)
    client = as_user(centre_admin)
    confirm = client.get(f"/notifications/not-delivered/{n.pk}/send-again/").text
    assert "Yes, send it again" in confirm
    n.refresh_from_db()
    assert n.status == "failed"  # asking changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/notifications/not-delivered/{n.pk}/send-again/")
    n.refresh_from_db()
    assert n.status == "queued" and handed == [n.pk]


def test_send_again_on_an_expired_message_is_refused_in_words(
    as_user, centre, centre_admin, handed
):
    n = row(centre, status="expired", reason="expired", expires_in=-1)
    client = as_user(centre_admin)
    confirm = client.get(f"/notifications/not-delivered/{n.pk}/send-again/").text
    assert "is not sent late" in confirm and "Yes, send it again" not in confirm
    page = client.post(f"/notifications/not-delivered/{n.pk}/send-again/", follow=True).text
    assert "This message expired on" in page and "is not sent late" in page
    n.refresh_from_db()
    assert n.status == "expired" and not handed
    failed_but_too_old = row(centre, expires_in=-1)
    client.post(f"/notifications/not-delivered/{failed_but_too_old.pk}/send-again/")
    failed_but_too_old.refresh_from_db()
    assert failed_but_too_old.status == "failed" and not handed


def test_the_whole_line_is_sent_again_once_fixed(as_user, centre, centre_admin, handed):
    rows = [row(centre, reason="credentials") for _ in range(3)]
    too_late = row(centre, reason="credentials", expires_in=-1)
    client = as_user(centre_admin)
    url = "/notifications/not-delivered/sms/credentials/send-again/"
    assert "Yes, send them again" in client.get(url).text
    client.post(url)
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert [statuses[n.pk] for n in rows] == ["queued"] * 3
    assert statuses[too_late.pk] == "failed"


def test_outsiders_get_404(as_user, centre, other_centre, counselor):
    n = row(centre)
    away_admin = member("centre_admin", other_centre, username="imran")
    assert as_user(counselor).get("/notifications/not-delivered/").status_code == 404
    client = as_user(away_admin)
    assert client.get(f"/notifications/not-delivered/{n.pk}/send-again/").status_code == 404
    assert client.post(f"/notifications/not-delivered/{n.pk}/send-again/").status_code == 404
    assert "Every message was delivered" in client.get("/notifications/not-delivered/").text


def test_the_count_is_on_the_centre_admins_home(as_user, centre, centre_admin, counselor):
    row(centre)
    row(centre, status="expired", reason="expired")
    row(centre, status="sent", reason="")
    ReminderProblem.objects.create(
        key="checkin-plan-1", centre=centre, kind="checkin", error="boom", last_at=timezone.now()
    )
    home = as_user(centre_admin).get("/").text
    assert "data-undelivered-count>3<" in home
    assert "undelivered-count" not in as_user(counselor).get("/").text


def test_the_page_costs_the_same_queries_at_any_size(as_user, centre, centre_admin, counselor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(centre_admin)

    def add(n):
        for _ in range(n):
            resident = ResidentFactory(centre=centre)
            row(centre, recipient_resident=resident)
            row(centre, recipient_user=counselor, kind="help")
            row(centre, reason="credentials")
            ReminderProblem.objects.create(
                key=f"checkin-plan-{resident.pk}",
                centre=centre,
                resident=resident,
                kind="checkin",
                error="boom",
                last_at=timezone.now(),
            )

    counts = []
    for n in (2, 20):
        add(n)
        client.get("/notifications/not-delivered/")  # warm: session, roles
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/not-delivered/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 14, counts
