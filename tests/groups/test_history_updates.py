"""Changes of many sessions at once keep their history (kendra.history.update)."""

from django.utils import timezone

from groups import actions
from groups.models import Session
from kendra import history

from .factories import PeerGroupFactory, SessionFactory


def test_archiving_a_group_cancels_its_future_sessions_with_their_history(centre, counselor):
    group = PeerGroupFactory(centre=centre, facilitator=counselor)
    later = timezone.now() + timezone.timedelta(days=2)
    future = SessionFactory(group=group, start=later, end=later + timezone.timedelta(hours=1))

    actions.archive_group(group, counselor)

    future.refresh_from_db()
    assert future.status == Session.Status.CANCELLED
    latest = future.history.order_by("-history_id").first()
    assert (latest.status, latest.history_type, latest.history_user) == (
        "cancelled",
        "~",
        counselor,
    )
    assert latest.cancel_reason == "The group was archived."


def test_an_update_of_untracked_fields_alone_makes_no_version(session, counselor):
    before = session.history.count()
    assert history.update(Session.objects.filter(pk=session.pk), counselor, marks_version=7) == 1
    session.refresh_from_db()
    assert session.marks_version == 7 and session.history.count() == before


def test_an_update_that_finds_no_row_writes_nothing(session, counselor):
    gone = Session.objects.filter(pk=session.pk, status="cancelled")
    assert history.update(gone, counselor, status="held") == 0
    assert session.history.count() == 1


def test_generated_sessions_each_have_their_first_version(centre):
    import datetime as dt

    PeerGroupFactory(centre=centre, frequency="daily", start_time=dt.time(9, 0))
    assert actions.generate_sessions(days=3) == 3
    assert actions.generate_sessions(days=3) == 0
    assert [s.history.filter(history_type="+").count() for s in Session.objects.all()] == [1] * 3
