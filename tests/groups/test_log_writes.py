"""The session log's save, in the ORM: the session locked, the changed marks written with
bulk_update and their history rows, the audit event, in one transaction; the same number
of queries however many people are on the roster."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from groups import actions
from groups.models import Attendance, Session
from kendra.models import AuditEvent
from tests.factories import ResidentFactory

from .factories import PeerGroupFactory, SessionFactory, join


def _rows(people, changes=None):
    """The posted roster: everyone present with mood 3, `changes` by resident id."""
    return [
        {
            "resident_id": r.pk,
            "status": "present",
            "participation": None,
            "mood": 3,
            "note": "",
            **(changes or {}).get(r.pk, {}),
        }
        for r in people
    ]


def _held(session, roster, counselor):
    """The session logged once (every mark saved, with its first version)."""
    actions.save_log(session, _rows(roster), "", counselor)
    return Session.objects.get(pk=session.pk)


def test_a_changed_mark_is_written_with_its_version_by_the_saving_user(session, roster, counselor):
    held = _held(session, roster, counselor)
    rows = _rows(roster, {roster[0].pk: {"note": "Spoke of 'home'; calmer"}})

    assert actions.save_log(held, rows, "", counselor) is True

    mark = Attendance.objects.get(session=held, resident=roster[0])
    assert mark.note == "Spoke of 'home'; calmer"
    current = Session.objects.get(pk=held.pk)
    assert current.marks_version == held.marks_version + 1
    assert current.logged_by == counselor and current.logged_at > held.logged_at
    latest = mark.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.history_date) == (
        "~",
        counselor,
        current.logged_at,
    )
    assert (latest.note, latest.mood, latest.status, latest.updated_at) == (
        "Spoke of 'home'; calmer",
        3,
        "present",
        mark.updated_at,
    )
    assert (latest.session_id, latest.resident_id) == (held.pk, roster[0].pk)
    others = Attendance.objects.exclude(pk=mark.pk)
    assert {a.history.count() for a in others} == {1}  # only their creation
    created = {h.history_user for a in others for h in a.history.all()}
    assert created == {counselor}
    logged = AuditEvent.objects.filter(action="session.logged").order_by("pk").last()
    assert (logged.user, logged.centre_id, logged.object_type, logged.object_id) == (
        counselor,
        held.centre_id,
        "groups.session",
        str(held.pk),
    )


def test_a_session_signed_after_the_form_was_read_is_not_written(session, roster, counselor):
    held = _held(session, roster, counselor)
    actions.sign_session(held, counselor)
    events = AuditEvent.objects.count()
    rows = _rows(roster, {roster[0].pk: {"note": "Never written"}})

    with pytest.raises(actions.SessionLocked):
        actions.save_log(held, rows, "", counselor)

    assert Attendance.objects.get(session=held, resident=roster[0]).note == ""
    assert Attendance.objects.get(session=held, resident=roster[0]).history.count() == 1
    assert AuditEvent.objects.count() == events
    assert Session.objects.get(pk=held.pk).marks_version == held.marks_version


@pytest.mark.django_db(transaction=True)
def test_a_write_that_fails_leaves_everything_undone(session, roster, counselor):
    """Outside any transaction (as in a request): the save is all or nothing."""
    held = _held(session, roster, counselor)
    events = AuditEvent.objects.count()
    rows = _rows(roster, {roster[0].pk: {"note": "With a mood out of range", "mood": 9}})

    with pytest.raises(IntegrityError):
        actions.save_log(held, rows, "", counselor)

    current = Session.objects.get(pk=held.pk)
    assert (current.marks_version, current.logged_at) == (held.marks_version, held.logged_at)
    assert AuditEvent.objects.count() == events
    mark = Attendance.objects.get(session=held, resident=roster[0])
    assert mark.note == "" and mark.history.count() == 1


def _save_queries(centre, counselor, size):
    group = PeerGroupFactory(centre=centre, facilitator=counselor, capacity=60)
    people = ResidentFactory.create_batch(size, centre=centre)
    join(group, *people)
    session = SessionFactory(group=group)
    actions.save_log(session, _rows(people), "", counselor)
    held = Session.objects.get(pk=session.pk)
    half = {r.pk: {"status": "late", "note": "Came late"} for r in people[::2]}
    saved = actions.saved_log(held)
    with CaptureQueriesContext(connection) as queries:
        assert actions.save_log(held, _rows(people, half), "", counselor, saved=saved)
    late = Attendance.objects.filter(session=held, status="late", note="Came late")
    assert late.count() == len(half)
    assert sum(a.history.count() for a in late) == 2 * len(half)
    return len(queries)


def test_a_save_runs_the_same_queries_for_5_or_50_people(centre, counselor):
    small = _save_queries(centre, counselor, 5)
    large = _save_queries(centre, counselor, 50)
    assert small == large <= 8
