"""Groups list, group pages, today, register, sign-in sheet, home and resident panels."""

import csv
import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone

from groups import actions
from groups.models import GroupMember, PeerGroup, Session
from tests.factories import ResidentFactory

from .factories import PeerGroupFactory, SessionFactory


def test_it_filters_groups_by_kind_audience_and_facilitator(as_user, counselor, centre, group):
    PeerGroupFactory(centre=centre, name="Morning yoga", kind="activity", format="yoga")
    PeerGroupFactory(
        centre=centre, name="Women's circle", kind="circle", format="", audience="women"
    )
    client = as_user(counselor)
    url = reverse("groups:list")
    page = client.get(url, {"kind": "activity"}).text
    assert "Morning yoga" in page and "CBT for cravings" not in page
    page = client.get(url, {"audience": "women"}).text
    assert "Women&#x27;s circle" in page and "Morning yoga" not in page
    page = client.get(url, {"facilitator": counselor.pk}).text
    assert "CBT for cravings" in page and "Morning yoga" not in page


def test_it_creates_a_group_and_plans_its_sessions(as_user, counselor, peer_leader, centre):
    response = as_user(counselor).post(
        reverse("groups:create"),
        {
            "centre": centre.pk,
            "name": "Evening meditation",
            "kind": "activity",
            "format": "meditation",
            "audience": "everyone",
            "capacity": 12,
            "facilitator": counselor.pk,
            "co_leader": peer_leader.pk,
            "frequency": "daily",
            "start_time": "18:30",
            "duration_minutes": 30,
            "room": "Prayer hall",
        },
    )
    group = PeerGroup.objects.get(name="Evening meditation")
    assert response.url == group.get_absolute_url()
    assert group.sessions.count() == 14


def test_it_archives_a_group_and_cancels_what_was_planned(as_user, counselor, group, session):
    actions.generate_sessions(group)
    client = as_user(counselor)
    url = reverse("groups:archive", args=[group.pk])
    assert "Yes, archive the group" in client.get(url).text
    client.post(url)
    group.refresh_from_db()
    assert group.is_archived
    future = group.sessions.filter(start__gt=timezone.now())
    assert future.exists() and not future.exclude(status="cancelled").exists()
    assert group.sessions.get(pk=session.pk).status == Session.Status.PLANNED  # past kept


def test_it_lets_a_member_leave_and_keeps_history(as_user, counselor, group, roster):
    member = GroupMember.objects.get(group=group, resident=roster[0])
    as_user(counselor).post(reverse("groups:member_leave", args=[group.pk, member.pk]))
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    assert GroupMember.objects.filter(group=group).count() == 3


def test_the_group_page_shows_roster_schedule_and_rates(as_user, counselor, group, session, roster):
    actions.save_log(
        session,
        [
            {"resident_id": r.pk, "status": s, "participation": None, "mood": None, "note": ""}
            for r, s in zip(roster, ["present", "late", "absent"], strict=True)
        ],
        "",
        counselor,
    )
    page = as_user(counselor).get(reverse("groups:detail", args=[group.pk])).text
    assert "Roster (3 of 10)" in page
    assert "Mon, Wed, Fri · 11:00 · 60 min" in page
    assert "67%" in page  # two of three came
    assert "2 / 3" in page


def test_the_group_page_rates_only_the_last_12_weeks(as_user, counselor, group, roster):
    old = SessionFactory(
        group=group,
        start=timezone.now() - dt.timedelta(weeks=20),
        end=timezone.now() - dt.timedelta(weeks=20) + dt.timedelta(hours=1),
    )
    recent = SessionFactory(
        group=group,
        start=timezone.now() - dt.timedelta(weeks=2),
        end=timezone.now() - dt.timedelta(weeks=2) + dt.timedelta(hours=1),
    )
    for session, status in ((old, "absent"), (recent, "present")):
        actions.save_log(
            session,
            [
                {"resident_id": r.pk, "status": status, "participation": None, "mood": None}
                | {"note": ""}
                for r in roster
            ],
            "",
            counselor,
        )
    page = as_user(counselor).get(reverse("groups:detail", args=[group.pk])).text
    assert "Attendance rate, last 12 weeks" in page
    assert "100%" in page and "50%" not in page
    assert "0 / 3" in page  # the old session is still in the history


def _today_session(group, counselor):
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(midnight, now - dt.timedelta(minutes=5))
    return SessionFactory(
        group=group, start=start, end=start + dt.timedelta(hours=1), facilitator=counselor
    )


def test_today_lists_the_counselors_sessions(as_user, counselor, centre_admin, group):
    _today_session(group, counselor)
    assert "Log CBT for cravings" in as_user(counselor).get(reverse("groups:today")).text
    page = as_user(centre_admin).get(reverse("groups:today")).text
    assert "Other sessions in your centre today" in page and "CBT for cravings" in page


def test_the_home_page_lists_todays_sessions_for_counselors(as_user, counselor, peer_leader, group):
    _today_session(group, counselor)
    page = as_user(counselor).get(reverse("home")).text
    assert "Your sessions today" in page and "Log CBT for cravings" in page
    assert "Your sessions today" not in as_user(peer_leader).get(reverse("home")).text


def test_the_sign_in_sheet_uses_preferred_names(as_user, counselor, session, roster):
    page = as_user(counselor).get(reverse("groups:session_sheet", args=[session.pk])).text
    assert "Rahul" in page and "Rahul Sharma" not in page
    assert "Amit Gupta" in page and "Signature" in page


def test_the_register_exports_attendance_for_a_date_range(
    as_user, counselor, group, session, roster
):
    actions.save_log(
        session,
        [
            {
                "resident_id": roster[0].pk,
                "status": "absent",
                "participation": None,
                "mood": None,
                "note": "private",
            }
        ],
        "private group",
        counselor,
    )
    day = session.local_date
    response = as_user(counselor).get(
        reverse("groups:register"), {"date_from": day.isoformat(), "date_to": day.isoformat()}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Date", "Time", "Group"]
    assert ["CBT for cravings", "Rahul Sharma", "Absent"] == [rows[1][2], rows[1][4], rows[1][5]]
    assert "private" not in response.content.decode()
    empty = as_user(counselor).get(
        reverse("groups:register"),
        {
            "date_from": (day - dt.timedelta(days=9)).isoformat(),
            "date_to": (day - dt.timedelta(days=8)).isoformat(),
        },
    )
    assert len(list(csv.reader(io.StringIO(empty.content.decode())))) == 1


def test_the_resident_page_shows_attendance_history_and_rate(as_user, counselor, session, roster):
    actions.save_log(
        session,
        [
            {
                "resident_id": roster[0].pk,
                "status": "late",
                "participation": None,
                "mood": None,
                "note": "private",
            }
        ],
        "",
        counselor,
    )
    page = as_user(counselor).get(reverse("resident_detail", args=[roster[0].pk])).text
    assert "Group attendance" in page
    assert "Attendance rate 100% over 1 session." in page
    assert "CBT for cravings" in page and "Late" in page
    assert "private" not in page


def test_the_resident_page_says_when_nothing_is_logged(as_user, counselor, centre):
    newcomer = ResidentFactory(centre=centre)
    page = as_user(counselor).get(reverse("resident_detail", args=[newcomer.pk])).text
    assert "No group sessions logged yet." in page
