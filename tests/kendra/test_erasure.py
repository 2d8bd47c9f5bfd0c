"""Erasure that keeps the numbers: two admins (or the retention period after a dry run),
the person's details gone from every table and history table, every count unchanged."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kendra import actions
from kendra.models import AuditEvent, ErasureRequest, Resident, Role
from reports import metrics
from tests.everything import EMAIL, NAME, PHONE, everything

from ..factories import ResidentFactory, member

TEXT_TYPES = {"character varying", "text", "jsonb", "json", "character"}
DISCHARGED = {
    "status": "discharged",
    "discharge_date": timezone.localdate() - dt.timedelta(days=30),
    "discharge_reason": "completed",
}


def tables_holding(*needles):
    """{(table, column)} of every text column of every table that holds one of `needles`
    (read from the database's own catalogue: nothing is left out)."""
    found = set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        )
        columns = [(t, c) for t, c, kind in cursor.fetchall() if kind in TEXT_TYPES]
        for table, column in columns:
            for needle in needles:
                cursor.execute(
                    f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1',  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone():
                    found.add((table, column))
    return found


@pytest.fixture
def admins(centre):
    return (
        member(Role.CENTRE_ADMIN, centre, username="admin-one"),
        member(Role.CENTRE_ADMIN, centre, username="admin-two"),
    )


@pytest.fixture
def person(centre, no_outbox):
    return everything(centre, **DISCHARGED)


@pytest.fixture
def no_outbox(monkeypatch):
    from kendra.notify import outbox

    monkeypatch.setattr(outbox, "queue_send", lambda pks, queue=None: list(pks))


def _report(centre):
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=90), today + dt.timedelta(days=1)
    report = metrics.monthly(centre, start, end)
    return repr({k: v for k, v in report.items() if k != "centre"})


def test_two_admins_erase_a_discharged_person_and_the_counts_stay(
    as_user, client, centre, admins, person
):
    first, second = admins
    resident = person["resident"]
    token_url = reverse("checkins:answer", args=[person["token"]])
    assert tables_holding(NAME), "the test must see the name before"
    before = _report(centre)

    response = as_user(first).post(
        reverse("resident_erase", args=[resident.pk]), {"reason": "person_asked", "note": ""}
    )
    assert response.status_code == 302
    asked = ErasureRequest.objects.get(resident=resident, status="pending")
    # The same admin cannot confirm their own request.
    as_user(first).post(reverse("erasure_confirm", args=[asked.pk]))
    asked.refresh_from_db()
    assert asked.status == "pending" and tables_holding(NAME)
    page = as_user(first).get(reverse("erasure_confirm", args=[asked.pk])).text
    assert "you asked for this erasure yourself" in page

    as_user(second).post(reverse("erasure_confirm", args=[asked.pk]))
    asked.refresh_from_db()
    assert asked.status == "done" and asked.confirmed_by == second

    assert tables_holding(NAME, PHONE, EMAIL, "Zoru") == set()
    resident.refresh_from_db()
    assert resident.full_name == "[erased]" and resident.date_of_birth is None
    assert resident.languages == ["hi"]  # a category the reports count, kept
    assert _report(centre) == before
    client.logout()
    assert client.get(token_url).status_code == 404  # the check-in link is gone
    from families.models import CalendarFeed

    assert not CalendarFeed.objects.exists()  # the mother's feed showed only this person
    assert not resident.consents.filter(withdrawn_at__isnull=True).exists()
    erased = AuditEvent.objects.get(action="resident.erased")
    assert erased.user == second and erased.resident_id == resident.pk
    assert erased.detail == f"person_asked; asked by user {first.pk}"


def test_an_admitted_resident_cannot_be_erased(as_user, centre, admins):
    resident = ResidentFactory(centre=centre, full_name="Still Here Person")
    url = reverse("resident_erase", args=[resident.pk])
    assert "Only a discharged person can be erased" in as_user(admins[0]).get(url).text
    response = as_user(admins[0]).post(url, {"reason": "person_asked"})
    assert response.status_code == 400 and "discharge first" in response.text
    assert not ErasureRequest.objects.exists()


def test_a_reason_is_required(as_user, centre, admins, person):
    url = reverse("resident_erase", args=[person["resident"].pk])
    response = as_user(admins[0]).post(url, {"reason": "", "note": ""})
    assert response.status_code == 400 and "Choose why" in response.text
    response = as_user(admins[0]).post(url, {"reason": "other", "note": " "})
    assert response.status_code == 400 and "Write the reason in the note" in response.text
    assert not ErasureRequest.objects.filter(status="pending").exists()


def test_a_person_readmitted_before_confirmation_is_not_erased(centre, admins, person):
    resident = person["resident"]
    asked = actions.ask_to_erase(resident, "person_asked", "", admins[0])
    Resident.objects.filter(pk=resident.pk).update(status="admitted")
    with pytest.raises(actions.ErasureRefused):
        actions.confirm_erasure(asked, admins[1])
    assert tables_holding(NAME)


def test_only_centre_admins_erase(as_user, counselor, outsider, person):
    url = reverse("resident_erase", args=[person["resident"].pk])
    assert as_user(counselor).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 404


def test_bulk_erasure_after_the_retention_period_lists_first(as_user, centre, admins, person):
    old = ResidentFactory(
        centre=centre,
        full_name="Long Gone Person",
        status="discharged",
        discharge_date=timezone.localdate() - dt.timedelta(days=800),
        discharge_reason="completed",
    )
    url = reverse("erasure_retention", args=[centre.pk])
    client = as_user(admins[0])
    assert "no retention period" in client.get(url).text
    centre.retention_months = 24
    centre.save()
    page = client.get(url).text
    assert "Long Gone Person" in page and NAME not in page  # discharged 30 days ago: kept
    assert not ErasureRequest.objects.filter(reason="retention").exists()  # a dry run
    response = client.post(url, {"resident": [old.pk]})
    assert response.status_code == 200 and "Tick the box" in response.text
    client.post(url, {"resident": [old.pk, person["resident"].pk], "confirm": "on"})
    old.refresh_from_db()
    assert old.full_name == "[erased]"
    assert tables_holding("Long Gone Person") == set() and tables_holding(NAME)


def test_erased_history_rows_keep_no_name(centre, admins, person):
    asked = actions.ask_to_erase(person["resident"], "person_asked", "", admins[0])
    actions.confirm_erasure(asked, admins[1])
    history = person["resident"].history.all()
    assert history.count() >= 3 and {h.full_name for h in history} == {"[erased]"}


def test_the_erasure_list_costs_the_same_with_more_requests(
    as_user, centre, admins, django_assert_max_num_queries
):
    client = as_user(admins[0])
    for size in (1, 6):
        while ErasureRequest.objects.count() < size:
            resident = ResidentFactory(centre=centre, **DISCHARGED)
            actions.ask_to_erase(resident, "person_asked", "", admins[1])
        with django_assert_max_num_queries(6):
            assert client.get(reverse("erasure_list")).status_code == 200
