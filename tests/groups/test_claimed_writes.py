"""kendra.bulk.write_if_claimed, on the session log's save of changed marks: the claim of
the session, the audit event, the marks and their history rows in one statement."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups import actions
from groups.models import Attendance, Session
from kendra import audit
from kendra.bulk import Claim, write_if_claimed
from kendra.models import AuditEvent


def _held(session, roster, counselor):
    """The session logged once (every mark saved, with its first version)."""
    rows = [
        {"resident_id": r.pk, "status": "present", "participation": None, "mood": 3, "note": ""}
        for r in roster
    ]
    actions.save_log(session, rows, "", counselor)
    return Session.objects.get(pk=session.pk)


def _claim(session, counselor, now):
    return Claim(
        Session,
        session.pk,
        where={"marks_version": session.marks_version, "status": "held", "signed_at": None},
        values={"logged_at": now, "logged_by_id": counselor.pk},
        count="marks_version",
    )


def _changed_note(session, resident, note, now):
    mark = Attendance.objects.get(session=session, resident=resident)
    mark.note, mark.updated_at = note, now
    return mark


def test_it_claims_and_writes_everything_in_one_statement(session, roster, counselor):
    held = _held(session, roster, counselor)
    now = timezone.now() + timezone.timedelta(minutes=5)
    mark = _changed_note(held, roster[0], "Spoke of 'home'; calmer", now)
    event = audit.unsaved(counselor, "session.logged", held, detail="3 on roster")

    with CaptureQueriesContext(connection) as queries:
        claimed = write_if_claimed(
            _claim(held, counselor, now),
            insert=[event],
            update=(Attendance, [mark], actions.UPDATED_FIELDS),
            history=(counselor, now),
        )

    assert claimed is True
    assert len(queries) == 1 and queries[0]["sql"].startswith("WITH claimed AS (UPDATE")
    current = Session.objects.get(pk=held.pk)
    assert current.marks_version == held.marks_version + 1
    assert (current.logged_at, current.logged_by) == (now, counselor)
    saved = AuditEvent.objects.get(action="session.logged", detail="3 on roster", at=event.at)
    assert (saved.user, saved.centre_id, saved.object_type, saved.object_id) == (
        counselor,
        held.centre_id,
        "groups.session",
        str(held.pk),
    )
    assert Attendance.objects.get(pk=mark.pk).note == "Spoke of 'home'; calmer"
    latest = mark.history.order_by("-history_id").first()  # copied from the row as written
    assert (latest.history_type, latest.history_user, latest.history_date) == ("~", counselor, now)
    assert (latest.note, latest.mood, latest.status, latest.updated_at) == (
        "Spoke of 'home'; calmer",
        3,
        "present",
        now,
    )
    assert (latest.session_id, latest.resident_id) == (held.pk, roster[0].pk)
    others = Attendance.objects.exclude(pk=mark.pk)
    assert {a.history.count() for a in others} == {1}  # only their creation


def test_a_claim_that_finds_the_row_moved_on_writes_nothing(session, roster, counselor):
    held = _held(session, roster, counselor)
    actions.mark_one(held, roster[1].pk, "late", counselor)  # marks written since `held`
    now = timezone.now()
    mark = _changed_note(held, roster[0], "Never written", now)
    events = AuditEvent.objects.count()

    claimed = write_if_claimed(
        _claim(held, counselor, now),
        insert=[audit.unsaved(counselor, "session.logged", held)],
        update=(Attendance, [mark], actions.UPDATED_FIELDS),
        history=(counselor, now),
    )

    assert claimed is False
    assert Attendance.objects.get(pk=mark.pk).note == ""
    assert mark.history.count() == 1
    assert AuditEvent.objects.count() == events
    assert Session.objects.get(pk=held.pk).marks_version == held.marks_version + 1  # the toggle


def test_a_signed_session_cannot_be_claimed(session, roster, counselor):
    held = _held(session, roster, counselor)
    Session.objects.filter(pk=held.pk).update(signed_at=timezone.now(), signed_by=counselor)
    assert not write_if_claimed(_claim(held, counselor, timezone.now()))


@pytest.mark.django_db(transaction=True)
def test_a_write_that_fails_leaves_the_claim_undone(session, roster, counselor):
    """Outside any transaction (as in a request): the statement is all or nothing."""
    held = _held(session, roster, counselor)
    now = timezone.now()
    mark = _changed_note(held, roster[0], "With a mood out of range", now)
    mark.mood = 9  # the database refuses it (mood_1_5)
    events = AuditEvent.objects.count()
    assert connection.get_autocommit()

    with pytest.raises(IntegrityError):
        write_if_claimed(
            _claim(held, counselor, now),
            insert=[audit.unsaved(counselor, "session.logged", held)],
            update=(Attendance, [mark], actions.UPDATED_FIELDS),
            history=(counselor, now),
        )

    current = Session.objects.get(pk=held.pk)
    assert (current.marks_version, current.logged_at) == (held.marks_version, held.logged_at)
    assert AuditEvent.objects.count() == events
    assert Attendance.objects.get(pk=mark.pk).note == "" and mark.history.count() == 1


def test_the_portable_way_claims_and_writes_the_same(session, roster, counselor, monkeypatch):
    """What SQLite (make run) does: the same writes, one after another, in a transaction."""
    from kendra import bulk

    held = _held(session, roster, counselor)
    now = timezone.now() + timezone.timedelta(minutes=5)
    mark = _changed_note(held, roster[0], "Portable", now)
    monkeypatch.setattr(bulk.connection, "vendor", "sqlite")

    claimed = bulk.write_if_claimed(
        _claim(held, counselor, now),
        insert=[audit.unsaved(counselor, "session.logged", held, detail="portable")],
        update=(Attendance, [mark], actions.UPDATED_FIELDS),
        history=(counselor, now),
    )
    stale = bulk.write_if_claimed(_claim(held, counselor, now))

    monkeypatch.undo()
    assert claimed is True and stale is False
    current = Session.objects.get(pk=held.pk)
    assert current.marks_version == held.marks_version + 1 and current.logged_at == now
    assert AuditEvent.objects.filter(detail="portable").count() == 1
    latest = mark.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.note) == ("~", counselor, "Portable")
