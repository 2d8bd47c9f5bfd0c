"""The audit trail refuses UPDATE and DELETE in PostgreSQL itself (migration 0005), through
the ORM and through raw SQL; deleting a user, a centre or a resident still works."""

import pytest
from django.contrib.auth import get_user_model
from django.db import ProgrammingError, connection, transaction

from kendra import audit
from kendra.models import AuditEvent, Role
from tests.factories import CentreFactory, ResidentFactory, member


def refused(action):
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        action()


def sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def check_deferred_now():
    """The check that runs at commit, run now (the test's transaction never commits)."""
    sql("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def event(counselor, resident):
    return audit.record(counselor, "resident.viewed", resident)


def test_the_orm_cannot_change_or_delete_an_event(event):
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="nothing.happened"))
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(detail="edited"))
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    refused(lambda: AuditEvent.objects.all().delete())
    with pytest.raises(ValueError):
        event.save()  # the model's own rule, which also holds on SQLite
    assert AuditEvent.objects.get(pk=event.pk).action == "resident.viewed"


def test_raw_sql_cannot_change_or_delete_an_event(event):
    table = AuditEvent._meta.db_table
    refused(lambda: sql(f"UPDATE {table} SET action = 'x' WHERE id = %s", event.pk))  # noqa: S608
    refused(lambda: sql(f"UPDATE {table} SET at = now() WHERE id = %s", event.pk))  # noqa: S608
    refused(lambda: sql(f"DELETE FROM {table} WHERE id = %s", event.pk))  # noqa: S608
    refused(lambda: sql(f"DELETE FROM {table}"))  # noqa: S608
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_who_did_it_cannot_be_erased_while_they_exist(event):
    table = AuditEvent._meta.db_table

    def forget_user():
        sql(f"UPDATE {table} SET user_id = NULL WHERE id = %s", event.pk)  # noqa: S608
        check_deferred_now()

    refused(forget_user)
    refused(
        lambda: (
            AuditEvent.objects.filter(pk=event.pk).update(resident=None) and check_deferred_now()
        )
    )
    event.refresh_from_db()
    assert event.user_id is not None and event.resident_id is not None


def test_deleting_a_user_and_a_resident_keeps_their_events(event, counselor, resident):
    resident.delete()
    get_user_model().objects.filter(pk=counselor.pk).delete()
    check_deferred_now()
    event.refresh_from_db()
    assert event.action == "resident.viewed" and event.user_id is None and event.resident_id is None


def test_deleting_a_centre_keeps_its_events(db):
    centre = CentreFactory(name="Closing Kendra")
    admin = member(Role.CENTRE_ADMIN, centre, username="closing-admin")
    resident = ResidentFactory(centre=centre)
    event = audit.record(admin, "resident.viewed", resident)
    resident.delete()  # a centre with residents is protected from deletion
    centre.delete()
    check_deferred_now()
    event.refresh_from_db()
    assert event.centre_id is None and event.resident_id is None and event.user_id == admin.pk


def test_committed_deletes_and_the_test_flush_still_work(transactional_db):
    centre = CentreFactory(name="Committed Kendra")
    admin = member(Role.CENTRE_ADMIN, centre, username="committed-admin")
    event = audit.record(admin, "auth.signed_in", detail="127.0.0.1")
    admin.delete()  # autocommit: the deferred check ran at commit and let it through
    event.refresh_from_db()
    assert event.user_id is None
    with pytest.raises(ProgrammingError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).delete()
    # The flush after this test (TRUNCATE) empties the table: triggers do not block it.
