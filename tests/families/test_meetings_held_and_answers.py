"""Families who come: a meeting marked held with who was present, a family member's
answer ("we will come / we cannot come") and their reminder choice, and the monthly
report's family figures checked against rows counted independently."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from families import actions
from families.models import FamilyMeeting, FamilyMember, MeetingAnswer, MeetingAttendance
from families.reminders import write_meeting_reminders
from kendra.models import Profile, Role
from kendra.notify.models import Notification
from reports import metrics
from tests.factories import ResidentFactory, member

from .conftest import link_family, make_meeting


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("kendra.notify.outbox.queue_send", lambda pks, queue=None: pks)


def answer(client, meeting, answer="coming", reminder="sms"):
    return client.post(
        reverse("families:meeting_answer", args=[meeting.pk]),
        {"answer": answer, "reminder": reminder},
        follow=True,
    )


def test_it_lets_a_family_member_answer_and_change_their_answer(client, family_user, family):
    meeting = make_meeting(group=family, days=3, topic="Understanding relapse")
    client.force_login(family_user)
    page = client.get(reverse("families:schedule")).content.decode()
    assert "Understanding relapse" in page and "We will come" in page
    response = answer(client, meeting)
    assert "The centre knows you will come" in response.content.decode()
    assert MeetingAnswer.objects.get().answer == "coming"
    answer(client, meeting, "not_coming", "none")
    row = MeetingAnswer.objects.get()
    assert (row.answer, row.reminder) == ("not_coming", "none")
    assert row.member.user == family_user


def test_it_refuses_an_answer_on_a_cancelled_or_past_meeting_and_saves_nothing(
    client, family_user, family
):
    cancelled = make_meeting(group=family, days=3, status=FamilyMeeting.Status.CANCELLED)
    past = make_meeting(group=family, days=-1)
    client.force_login(family_user)
    page = answer(client, cancelled).content.decode()
    assert "This meeting is cancelled, so there is nothing to answer." in page
    page = answer(client, past).content.decode()
    assert "already started or is over" in page
    bad = make_meeting(group=family, days=4)
    page = answer(client, bad, answer="maybe").content.decode()
    assert "Choose whether you will come" in page
    assert not MeetingAnswer.objects.exists()


def test_staff_see_how_many_family_members_will_come(client, counselor, family, family_user):
    meeting = make_meeting(group=family, days=3)
    client.force_login(family_user)
    answer(client, meeting)
    client.force_login(counselor)
    for url in (reverse("families:group_detail", args=[family.pk]), reverse("families:groups")):
        page = client.get(url).content.decode()
        assert "Answers: 1 will come, 0 cannot come" in page, url


def test_another_familys_meeting_is_404_and_staff_cannot_answer(
    client, family_user, family, other_family, counselor, foreign
):
    theirs = make_meeting(group=other_family["group"], days=3)
    client.force_login(family_user)
    assert answer(client, theirs).status_code == 404
    assert answer(client, foreign["meeting"]).status_code == 404
    client.force_login(counselor)
    assert answer(client, make_meeting(group=family, days=3)).status_code == 404
    assert not MeetingAnswer.objects.exists()


def test_the_reminder_follows_the_answer(family_user, family, centre, resident):
    Profile.objects.filter(user=family_user).update(phone="+919829012345")
    family_user.email = "kamla@example.in"
    family_user.save()
    brother = member(Role.FAMILY_MEMBER, centre, username="sunil")
    link_family(brother, resident)
    Profile.objects.filter(user=brother).update(phone="+919829000001")
    meeting = make_meeting(group=family, days=1)
    actions.answer_meeting(family_user, meeting.pk, "coming", "email")
    actions.answer_meeting(brother, meeting.pk, "coming", "none")
    write_meeting_reminders(timezone.now())
    rows = Notification.objects.filter(kind="family_meeting_tomorrow")
    assert [(r.recipient_user, r.channel) for r in rows] == [(family_user, "email")]
    # "We cannot come" means no reminder, whatever was chosen.
    other = make_meeting(group=family, days=1, hour=15)
    actions.answer_meeting(family_user, other.pk, "not_coming", "sms")
    write_meeting_reminders(timezone.now())
    assert not rows.filter(slot__contains=f"-{other.pk}-", recipient_user=family_user).exists()


def test_it_marks_a_meeting_held_with_who_came(client, counselor, family, family_user, resident):
    meeting = make_meeting(group=family, days=0, hour=0)
    meeting.starts_at = timezone.now() - dt.timedelta(hours=1)
    meeting.ends_at = timezone.now() + dt.timedelta(minutes=5)
    meeting.save()
    link = FamilyMember.objects.get(user=family_user)
    client.force_login(counselor)
    url = reverse("families:meeting_held", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Family members present" in page and "Residents present" in page
    response = client.post(
        url,
        {"note": "Talked about support at home", "members": [link.pk], "residents": [resident.pk]},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.held_by == counselor
    assert meeting.held_note == "Talked about support at home"
    rows = MeetingAttendance.objects.filter(meeting=meeting)
    assert {(r.member_id, r.resident_id) for r in rows} == {(link.pk, None), (None, resident.pk)}


def test_a_future_or_cancelled_meeting_cannot_be_marked_held(client, counselor, family, resident):
    future = make_meeting(group=family, days=2)
    cancelled = make_meeting(group=family, days=-2, status=FamilyMeeting.Status.CANCELLED)
    client.force_login(counselor)
    for meeting, words in [(future, "has not started yet"), (cancelled, "is cancelled")]:
        url = reverse("families:meeting_held", args=[meeting.pk])
        page = client.post(url, {"residents": [resident.pk]}, follow=True).content.decode()
        assert words in page
        meeting.refresh_from_db()
        assert meeting.status != "held"
    assert not MeetingAttendance.objects.exists()


def test_someone_of_another_family_cannot_be_marked_present(counselor, family, other_family):
    meeting = make_meeting(group=family, days=-1)
    stranger = FamilyMember.objects.get(user=other_family["user"])
    actions.mark_meeting_held(meeting, "", [stranger.pk], [other_family["resident"].pk], counselor)
    assert not MeetingAttendance.objects.exists()


def test_the_monthly_figures_match_rows_counted_independently(centre, counselor, family, resident):
    """Two held meetings, one planned and one cancelled; three family members of two
    residents, one of whom comes twice; another centre's rows never count."""
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=20), today
    second = ResidentFactory(centre=centre)
    family.residents.add(second)
    users = [member(Role.FAMILY_MEMBER, centre, username=f"rel{i}") for i in range(3)]
    link_family(users[0], resident)
    link_family(users[1], resident)
    link_family(users[2], second)
    links = {u: FamilyMember.objects.get(user=u) for u in users}
    first = make_meeting(group=family, days=-10)
    again = make_meeting(resident=resident, days=-5)
    make_meeting(group=family, days=-3)  # planned, never marked held
    gone = make_meeting(group=family, days=-4)
    actions.mark_meeting_held(first, "", [links[users[0]].pk, links[users[2]].pk], [], counselor)
    actions.mark_meeting_held(again, "", [links[users[0]].pk], [resident.pk], counselor)
    actions.cancel_meeting(gone, "Holi", counselor)

    held = [m for m in FamilyMeeting.objects.filter(centre=centre) if m.status == "held"]
    present = [a for a in MeetingAttendance.objects.all() if a.member_id and a.meeting in held]
    expected = {
        "meetings_held": len(held),
        "families": len({a.member.user_id for a in present}),
        "residents": len({a.member.resident_id for a in present}),
    }
    assert expected == {"meetings_held": 2, "families": 2, "residents": 2}
    assert metrics.family_reach(centre, start, end) == expected


def test_the_report_page_shows_the_family_figures_with_their_definitions(
    client, centre, counselor, family, family_user, resident
):
    meeting = make_meeting(group=family, days=-2)
    actions.mark_meeting_held(
        meeting, "", [FamilyMember.objects.get(user=family_user).pk], [], counselor
    )
    admin = member(Role.CENTRE_ADMIN, centre, username="boss")
    client.force_login(admin)
    today = timezone.localdate()
    url = reverse("reports:monthly") + f"?start={today - dt.timedelta(days=7)}&end={today}"
    page = client.get(url).content.decode()
    assert 'id="family-families">1<' in page and 'id="family-meetings-held">1<' in page
    assert "each counted once however often they came" in page
