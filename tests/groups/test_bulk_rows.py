"""kendra.bulk.update_rows, on the rows the session log writes with it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups.models import Attendance
from kendra.bulk import update_rows


def test_it_writes_each_rows_own_values_in_one_statement(session, roster):
    rahul, amit, sanjay = (
        Attendance.objects.create(session=session, resident=r, mood=3, note="old") for r in roster
    )
    later = timezone.now() + timezone.timedelta(minutes=5)
    rahul.status, rahul.mood, rahul.note, rahul.updated_at = "late", None, "Said 'sorry'; ok", later
    amit.status, amit.mood, amit.note, amit.updated_at = "absent", 1, "", later

    with CaptureQueriesContext(connection) as queries:
        update_rows(Attendance, [rahul, amit], ["status", "mood", "note", "updated_at"])

    assert len(queries) == 1
    saved = {a.pk: a for a in Attendance.objects.all()}
    assert (saved[rahul.pk].status, saved[rahul.pk].mood) == ("late", None)
    assert saved[rahul.pk].note == "Said 'sorry'; ok" and saved[rahul.pk].updated_at == later
    assert (saved[amit.pk].status, saved[amit.pk].mood, saved[amit.pk].note) == ("absent", 1, "")
    # Not listed: untouched.
    assert (saved[sanjay.pk].status, saved[sanjay.pk].mood, saved[sanjay.pk].note) == (
        "present",
        3,
        "old",
    )


def test_no_rows_no_statement(session):
    with CaptureQueriesContext(connection) as queries:
        update_rows(Attendance, [], ["status"])
    assert not queries


def test_with_history_each_row_gets_its_version_as_written(session, roster, counselor):
    marks = [Attendance.objects.create(session=session, resident=r, note="old") for r in roster]
    later = timezone.now() + timezone.timedelta(minutes=5)
    for mark in marks[:2]:
        mark.note, mark.updated_at = f"new for {mark.resident_id}", later

    with CaptureQueriesContext(connection) as queries:
        update_rows(Attendance, marks[:2], ["note", "updated_at"], history=(counselor, later))

    assert len(queries) == 1  # the rows and their history rows in one round trip
    for mark in marks[:2]:
        latest = mark.history.order_by("-history_id").first()
        assert (latest.history_type, latest.history_user, latest.history_date) == (
            "~",
            counselor,
            later,
        )
        assert latest.note == f"new for {mark.resident_id}" and latest.updated_at == later
        assert (latest.session_id, latest.resident_id, latest.status) == (
            session.pk,
            mark.resident_id,
            "present",
        )
        assert latest.history_change_reason is None
    assert marks[2].history.count() == 1  # only its creation


def test_the_portable_way_writes_the_same_rows_and_versions(session, roster, counselor):
    from kendra.bulk import update_rows_portably

    marks = [Attendance.objects.create(session=session, resident=r, note="old") for r in roster]
    later = timezone.now() + timezone.timedelta(minutes=5)
    marks[0].status, marks[0].note, marks[0].updated_at = "late", "portable", later

    update_rows_portably(
        Attendance, marks[:1], ["status", "note", "updated_at"], history=(counselor, later)
    )

    saved = Attendance.objects.get(pk=marks[0].pk)
    assert (saved.status, saved.note, saved.updated_at) == ("late", "portable", later)
    latest = marks[0].history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.note) == ("~", counselor, "portable")
    assert Attendance.objects.get(pk=marks[1].pk).note == "old"
