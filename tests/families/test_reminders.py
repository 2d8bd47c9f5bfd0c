import datetime as dt

import pytest
from django.utils import timezone

from families import actions
from families.models import FamilyGroup, FamilyMeeting
from families.reminders import write_meeting_reminders
from kendra.models import Consent, Profile
from kendra.notify import sources
from kendra.notify.models import Notification

from .conftest import make_meeting


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("kendra.notify.outbox.queue_send", lambda pks, queue=None: pks)


def test_it_is_registered_as_a_reminder_source():
    assert write_meeting_reminders in sources.all_sources()


def test_it_reminds_each_family_member_once_the_day_before(family_user, family, other_family):
    Profile.objects.filter(user=family_user).update(phone="+919829012345")
    meeting = make_meeting(group=family, days=1, topic="Cravings")
    make_meeting(group=family, days=2)
    make_meeting(group=other_family["group"], days=1)
    now = timezone.now()
    write_meeting_reminders(now)
    write_meeting_reminders(now + dt.timedelta(minutes=1))
    mine = Notification.objects.filter(recipient_user=family_user)
    assert mine.count() == 1
    row = mine.get()
    assert row.kind == "family_meeting_tomorrow" and row.channel == "sms"
    assert str(meeting.pk) in row.slot
    assert "Cravings" in row.body and len(row.body) <= 320
    assert Notification.objects.filter(recipient_user=other_family["user"]).count() == 1


def test_it_sends_nothing_for_a_cancelled_meeting_or_a_withdrawn_consent(
    family_user, family, resident, counselor
):
    make_meeting(group=family, days=1, status=FamilyMeeting.Status.CANCELLED)
    write_meeting_reminders(timezone.now())
    assert not Notification.objects.exists()
    make_meeting(resident=resident, days=1, hour=15)
    Consent.objects.get(grantee=family_user).withdraw(counselor)
    write_meeting_reminders(timezone.now())
    assert not Notification.objects.exists()


def test_it_generates_regular_meetings_once(centre):
    group = FamilyGroup.objects.create(
        centre=centre, name="Weekly", weekday=5, start_time=dt.time(10, 30)
    )
    today = dt.date(2026, 3, 2)  # a Monday
    assert actions.generate_meetings(group, today=today, weeks=2) == 2
    assert actions.generate_meetings(group, today=today, weeks=2) == 0
    first = group.meetings.order_by("starts_at").first()
    assert first.scheduled_for == dt.date(2026, 3, 7)
    assert timezone.localtime(first.starts_at).time() == dt.time(10, 30)


def test_it_runs_the_daily_task_for_active_groups(centre):
    from families.tasks import generate_meetings

    FamilyGroup.objects.create(centre=centre, name="A", weekday=1, start_time=dt.time(9, 0))
    FamilyGroup.objects.create(
        centre=centre, name="B", weekday=1, start_time=dt.time(9, 0), is_active=False
    )
    assert generate_meetings() >= 6
    assert FamilyMeeting.objects.filter(group__name="B").count() == 0
