"""Messages not sent: what centre admins looked up in Django admin, now in Kendra."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kendra.notify import outbox
from kendra.notify.models import Notification

from ..factories import ResidentFactory


def failed(centre, resident, n):
    row = outbox.enqueue("message", slot=f"s{n}", resident=resident, context={"body": "SECRET"})
    outbox.mark_failed(row, "gateway said: number not reachable")
    return row


@pytest.fixture
def admin_client(client, centre_admin):
    client.force_login(centre_admin)
    return client


def test_it_lists_failed_and_stuck_messages_without_their_text(admin_client, centre, other_centre):
    resident = ResidentFactory(centre=centre, full_name="Ravi Meena", phone="+919829012345")
    failed(centre, resident, 1)
    waiting = outbox.enqueue("message", slot="w", resident=resident, context={"body": "SECRET"})
    Notification.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )
    outbox.enqueue("message", slot="new", resident=resident, context={"body": "SECRET"})
    elsewhere = ResidentFactory(
        centre=other_centre, full_name="Lucknow Person", phone="+919829099998"
    )
    failed(other_centre, elsewhere, 2)
    page = admin_client.get(reverse("staff:unsent", args=[centre.pk])).content.decode()
    assert "Ravi Meena" in page and "number not reachable" in page
    assert page.count("+919829012345") == 2  # the failed one and the stuck one, not the new
    assert "SECRET" not in page and "Lucknow" not in page


@pytest.mark.parametrize("size", [2, 20])
def test_it_costs_the_same_at_any_size(admin_client, centre, size, django_assert_max_num_queries):
    for n in range(size):
        failed(centre, ResidentFactory(centre=centre, phone=f"+91982901{n:04d}"), n)
    with django_assert_max_num_queries(7):
        assert admin_client.get(reverse("staff:unsent", args=[centre.pk])).status_code == 200
