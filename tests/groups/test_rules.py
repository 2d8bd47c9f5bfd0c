"""Bad input gets a clear message and nothing is saved."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance, GroupMember, Session
from tests.factories import ResidentFactory

from .factories import PeerGroupFactory, SessionFactory, join


def test_it_refuses_a_man_in_a_womens_group(as_user, counselor, centre, resident):
    women = PeerGroupFactory(centre=centre, kind="therapy", format="support", audience="women")
    response = as_user(counselor).post(
        reverse("groups:member_add", args=[women.pk]),
        {"resident": resident.pk, "joined_on": timezone.localdate().isoformat()},
    )
    assert "this group is for women" in response.text
    assert not GroupMember.objects.exists()


def test_it_refuses_a_resident_who_is_not_admitted(as_user, counselor, group):
    gone = ResidentFactory(
        centre=group.centre,
        full_name="Vijay Discharged",
        status="discharged",
        discharge_date=timezone.localdate(),
        discharge_reason="completed",
    )
    response = as_user(counselor).post(
        reverse("groups:member_add", args=[group.pk]),
        {"resident": gone.pk, "joined_on": timezone.localdate().isoformat()},
    )
    assert "is not admitted" in response.text
    assert not GroupMember.objects.exists()


def test_it_asks_to_confirm_before_going_over_capacity(as_user, counselor, group, roster):
    group.capacity = 3
    group.save()
    extra = ResidentFactory(centre=group.centre, full_name="Karan Extra")
    client = as_user(counselor)
    url = reverse("groups:member_add", args=[group.pk])
    data = {"resident": extra.pk, "joined_on": timezone.localdate().isoformat()}
    response = client.post(url, data)
    assert "The group is full (3 places)" in response.text
    assert not group.members.filter(resident=extra).exists()
    response = client.post(url, {**data, "confirm_over_capacity": "on"})
    assert response.status_code == 302
    assert group.members.filter(resident=extra).exists()


def test_it_warns_when_a_therapy_group_is_outside_five_to_ten(as_user, counselor, centre):
    response = as_user(counselor).post(
        reverse("groups:create"),
        {
            "centre": centre.pk,
            "name": "Big CBT",
            "kind": "therapy",
            "format": "cbt",
            "audience": "everyone",
            "capacity": 14,
            "frequency": "weekly",
            "weekdays": [1],
            "start_time": "10:00",
            "duration_minutes": 60,
        },
        follow=True,
    )
    assert "works best with 5 to 10 people" in response.text


def test_it_refuses_a_format_that_does_not_fit_the_kind(as_user, counselor, centre):
    response = as_user(counselor).post(
        reverse("groups:create"),
        {
            "centre": centre.pk,
            "name": "Odd group",
            "kind": "therapy",
            "format": "yoga",
            "audience": "everyone",
            "capacity": 8,
            "frequency": "weekly",
            "duration_minutes": 60,
        },
    )
    assert "Choose a format that fits group therapy" in response.text
    assert "Tick the days the group meets" in response.text
    assert "Enter the time the group meets" in response.text


def test_it_refuses_to_mark_a_future_session_held(as_user, counselor, group, roster):
    future = SessionFactory(
        group=group,
        start=timezone.now() + dt.timedelta(hours=3),
        end=timezone.now() + dt.timedelta(hours=4),
    )
    response = as_user(counselor).post(
        reverse("groups:session_log", args=[future.pk]), {f"status-{roster[0].pk}": "absent"}
    )
    assert response.status_code == 400
    assert "has not started yet" in response.text
    future.refresh_from_db()
    assert future.status == Session.Status.PLANNED
    assert not Attendance.objects.exists()


def test_it_refuses_a_session_that_ends_before_it_starts(as_user, counselor, group):
    response = as_user(counselor).post(
        reverse("groups:session_create", args=[group.pk]),
        {"date": timezone.localdate().isoformat(), "start_time": "11:00", "end_time": "10:00"},
    )
    assert "The end time must be after the start time." in response.text
    assert not Session.objects.exists()


def test_it_refuses_to_edit_a_signed_note(as_user, counselor, session, roster):
    Attendance.objects.create(session=session, resident=roster[0], note="First words")
    session.status = Session.Status.HELD
    session.signed_at = timezone.now()
    session.signed_by = counselor
    session.save()
    response = as_user(counselor).post(
        reverse("groups:session_log", args=[session.pk]),
        {f"note-{roster[0].pk}": "Rewritten", f"status-{roster[0].pk}": "absent"},
    )
    assert response.status_code == 400
    assert "This session is signed" in response.text
    att = Attendance.objects.get()
    assert att.note == "First words" and att.status == "present"


def test_it_refuses_attendance_for_someone_outside_the_centre(
    as_user, counselor, session, other_centre
):
    stranger = ResidentFactory(centre=other_centre, full_name="Stranger Elsewhere")
    response = as_user(counselor).post(
        reverse("groups:session_log", args=[session.pk]), {"walkin-resident": stranger.pk}
    )
    assert response.status_code == 400
    assert "not in this centre" in response.text
    assert "Stranger Elsewhere" not in response.text
    assert not Attendance.objects.exists()


def test_it_ignores_roster_fields_for_residents_not_on_the_roster(
    as_user, counselor, session, other_centre
):
    stranger = ResidentFactory(centre=other_centre)
    as_user(counselor).post(
        reverse("groups:session_log", args=[session.pk]), {f"status-{stranger.pk}": "late"}
    )
    assert not Attendance.objects.filter(resident=stranger).exists()


def test_it_refuses_a_walk_in_who_does_not_fit_the_audience(as_user, counselor, session):
    session.group.audience = "men"
    session.group.save()
    woman = ResidentFactory(centre=session.centre, gender="female", full_name="Priya Walkin")
    response = as_user(counselor).post(
        reverse("groups:session_log", args=[session.pk]), {"walkin-resident": woman.pk}
    )
    assert "this group is for men" in response.text
    assert not Attendance.objects.exists()


def test_it_warns_of_two_overlapping_sessions_for_one_facilitator(
    as_user, counselor, centre, group
):
    other = PeerGroupFactory(centre=centre, name="Yoga", kind="activity", format="yoga")
    day = timezone.localdate() + dt.timedelta(days=2)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    SessionFactory(
        group=other, start=start, end=start + dt.timedelta(hours=1), facilitator=counselor
    )
    client = as_user(counselor)
    url = reverse("groups:session_create", args=[group.pk])
    data = {
        "date": day.isoformat(),
        "start_time": "10:30",
        "end_time": "11:30",
        "facilitator": counselor.pk,
    }
    response = client.post(url, data)
    assert "already has Yoga from 10:00 to 11:00" in response.text
    assert not group.sessions.exists()
    assert client.post(url, {**data, "confirm_overlap": "on"}).status_code == 302
    assert group.sessions.count() == 1


def test_it_needs_a_reason_to_cancel(as_user, counselor, group):
    planned = SessionFactory(
        group=group,
        start=timezone.now() + dt.timedelta(days=1),
        end=timezone.now() + dt.timedelta(days=1, hours=1),
    )
    client = as_user(counselor)
    url = reverse("groups:session_cancel", args=[planned.pk])
    assert (
        "Write a short reason" in client.post(url, {"reason": " "}).text
        or "required" in client.post(url, {"reason": " "}).text
    )
    planned.refresh_from_db()
    assert planned.status == Session.Status.PLANNED
    client.post(url, {"reason": "Counselor on leave"})
    planned.refresh_from_db()
    assert planned.status == Session.Status.CANCELLED
    assert planned.cancel_reason == "Counselor on leave"


def test_it_refuses_an_empty_or_backwards_register_range(as_user, counselor):
    response = as_user(counselor).get(
        reverse("groups:register"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}
    )
    assert "on or after the start date" in response.text
    assert response["Content-Type"].startswith("text/html")


def test_it_takes_discharged_residents_off_rosters(as_user, counselor, group, resident):
    join(group, resident)
    today = timezone.localdate()
    as_user(counselor).post(
        reverse("resident_discharge", args=[resident.pk]),
        {"discharge_date": today.isoformat(), "discharge_reason": "completed"},
    )
    member = GroupMember.objects.get(resident=resident)
    assert member.left_on == today


def test_it_keeps_youth_groups_for_residents_up_to_25(centre):
    youth = PeerGroupFactory(centre=centre, kind="circle", format="", audience="youth")
    young = ResidentFactory(centre=centre, date_of_birth=timezone.localdate().replace(year=2004))
    older = ResidentFactory(centre=centre, date_of_birth=dt.date(1980, 1, 1))
    assert youth.audience_problem(young) is None
    assert "for youth up to 25" in youth.audience_problem(older)


def test_it_refuses_to_add_someone_twice(as_user, counselor, group, roster):
    response = as_user(counselor).post(
        reverse("groups:member_add", args=[group.pk]),
        {"resident": roster[0].pk, "joined_on": timezone.localdate().isoformat()},
    )
    assert "is already in this group" in response.text
    assert group.members.count() == 3
