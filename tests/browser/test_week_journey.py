"""A real week in a centre (issue 22): on a desktop the counselor moves Thursday's group
therapy to Friday (the form shows what will change first); on a phone the peer leader
logs and locks the morning circle they lead; on a phone a family member answers "we will
come", and the counselor marks the meeting held with that family present; the
coordinator's home shows the follow-up due and the anniversary; the monthly report shows
the family as reached."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from alumni.models import AlumniProfile, FollowUp, add_months
from families import access
from families.models import FamilyMeeting, FamilyMember, MeetingAnswer
from groups import actions
from groups.models import Attendance, Kind, PeerGroup, Session
from kendra.models import Resident
from reports import metrics

from .conftest import DESKTOP, PHONE, screenshot, sign_in

THURSDAY, FRIDAY = 3, 4
THERAPY = "Thursday CBT"


def weekdays(group, status=Session.Status.PLANNED):
    return {
        timezone.localtime(s.start).weekday()
        for s in group.sessions.filter(status=status, start__gt=timezone.now())
    }


def test_counselor_moves_thursdays_therapy_to_friday(demo, new_page):
    counselor = get_user_model().objects.get(username="counselor")
    home = counselor.memberships.first().centre
    group = PeerGroup.objects.create(
        centre=home,
        name=THERAPY,
        kind=Kind.THERAPY,
        format="cbt",
        facilitator=counselor,
        frequency="weekly",
        weekdays=[THURSDAY],
        start_time=dt.time(23, 0),  # still to come today, whatever the day
        duration_minutes=60,
    )
    actions.generate_sessions(group)
    before = group.sessions.count()
    assert weekdays(group) == {THURSDAY}

    page = new_page(viewport=DESKTOP)
    sign_in(page, "counselor")
    page.goto(f"/groups/{group.pk}/edit/")
    page.get_by_label("Thursday").uncheck()
    page.get_by_label("Friday").check()
    page.get_by_role("button", name="Save", exact=True).click()
    preview = page.locator("#replan-preview")
    preview.wait_for()
    assert "Moves 2 sessions." in preview.inner_text()
    screenshot(page, "schedule-move-preview-desktop")
    assert weekdays(group) == {THURSDAY}  # nothing saved before confirming
    page.get_by_role("button", name="Confirm and save").click()
    page.get_by_text("Changes saved.").wait_for()

    assert weekdays(group) == {FRIDAY}
    assert group.sessions.count() == before  # moved, never a second session
    moved = group.sessions.filter(moved_from__isnull=False).first()
    page.goto(f"/groups/sessions/{moved.pk}/")
    assert page.get_by_text("Moved from").first.is_visible()


def test_peer_leader_logs_and_locks_the_morning_circle_on_a_phone(demo, new_page):
    circle = PeerGroup.objects.get(name="Morning sharing circle")
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=7)
    session = Session.objects.create(
        group=circle, centre=circle.centre, start=start, end=start + dt.timedelta(minutes=45)
    )
    page = new_page(viewport=PHONE)
    sign_in(page, "peerleader")
    panel = page.locator("section[aria-labelledby=today-sessions-heading]")
    assert panel.get_by_role("heading", name="Your circles today").is_visible()
    page.goto(f"/groups/sessions/{session.pk}/")
    page.get_by_role("link", name="Log attendance and notes").click()
    rows = page.locator("form fieldset[id^=row-]")
    assert rows.count() >= 2
    absent_row, happy_row = rows.nth(0), rows.nth(1)
    absent_row.get_by_text("Absent", exact=True).click()
    absent_row.get_by_text("Saved: Absent").wait_for()
    happy_row.get_by_label("Mood (1–5)").select_option("4")
    assert page.locator("textarea[name^=note-]").count() == 0  # a circle keeps no notes
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "circle-log-phone")
    page.get_by_role("button", name="Save and sign").click()
    page.get_by_text("Session saved and signed.").wait_for()

    session.refresh_from_db()
    assert session.signed_by.username == "peerleader" and session.status == "held"
    assert Attendance.objects.filter(session=session, status="absent").count() == 1
    assert Attendance.objects.filter(session=session, mood=4).count() == 1
    # Locked: the log is no longer offered.
    assert page.get_by_role("link", name="Log attendance and notes").count() == 0


def _meeting_to_answer(family):
    """One of the family's group meetings, still to come and not cancelled."""
    return (
        access.family_meetings(family)
        .filter(group__isnull=False, status=FamilyMeeting.Status.PLANNED)
        .filter(starts_at__gt=timezone.now() + dt.timedelta(hours=1))
        .order_by("starts_at")
        .first()
    )


def test_a_family_answers_comes_and_is_counted_as_reached(demo, new_page):
    family = get_user_model().objects.get(username="family")
    meeting = _meeting_to_answer(family)
    assert meeting is not None
    meeting.topic = "How to support at home"
    meeting.save()

    page = new_page(viewport=PHONE)
    sign_in(page, "family")
    page.goto("/families/schedule/")
    item = page.locator(f"#upcoming [data-meeting='{meeting.uid}']")
    assert "How to support at home" in item.inner_text()
    item.get_by_label("Remind me the day before").select_option("sms")
    item.get_by_role("button", name="We will come").click()
    page.get_by_text("The centre knows you will come").wait_for()
    answer = MeetingAnswer.objects.get(meeting=meeting, member__user=family)
    assert (answer.answer, answer.reminder) == ("coming", "sms")
    item = page.locator(f"#upcoming [data-meeting='{meeting.uid}']")
    assert item.locator("[data-answer=coming]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "week-family-answered-phone")

    # The day comes: the meeting has begun. The counselor marks it held, on a phone.
    now = timezone.now()
    FamilyMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - dt.timedelta(minutes=90), ends_at=now - dt.timedelta(minutes=5)
    )
    link = FamilyMember.objects.filter(user=family, resident__in=meeting.group.residents.all())[0]
    counselor = new_page(viewport=PHONE)
    sign_in(counselor, "counselor")
    counselor.goto(f"/families/groups/{meeting.group_id}/")
    counselor.locator(f"a[href='/families/meetings/{meeting.pk}/held/']").click()
    counselor.get_by_label("Facilitator's note").fill("Good questions about support at home.")
    counselor.locator(f"input[name=members][value='{link.pk}']").check()
    counselor.get_by_role("button", name="Save: the meeting was held").click()
    counselor.get_by_text("The meeting is marked held, with who came.").wait_for()
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert list(meeting.attendance.values_list("member_id", flat=True)) == [link.pk]
    assert counselor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(counselor, "week-meeting-held-phone")

    # The monthly report, for the week that holds the meeting, shows the family reached.
    today = timezone.localdate()
    start = today - dt.timedelta(days=7)
    admin = new_page()
    sign_in(admin, "admin")
    admin.goto(f"/reports/monthly/?centre={meeting.centre_id}&start={start}&end={today}")
    expected = metrics.family_reach(meeting.centre, start, today)
    assert expected["families"] >= 1 and expected["residents"] >= 1
    assert admin.locator("#family-families").inner_text() == str(expected["families"])
    assert admin.locator("#family-residents").inner_text() == str(expected["residents"])
    assert admin.locator("#family-meetings-held").inner_text() == str(expected["meetings_held"])
    assert admin.locator("#family-definitions").is_visible()
    screenshot(admin, "week-report-families-desktop")


def test_the_coordinators_home_shows_the_follow_up_due_and_the_anniversary(demo, new_page):
    today = timezone.localdate()
    alumni = AlumniProfile.objects.filter(
        centre__name__contains="Jaipur", resident__status=Resident.Status.DISCHARGED
    ).select_related("resident")
    due, celebrating = alumni[0], alumni[1]
    followup = FollowUp.objects.filter(profile=due).order_by("months").first()
    FollowUp.objects.filter(pk=followup.pk).update(due_on=today, outcome="")
    celebrating.resident.sobriety_date = add_months(today, -12)
    celebrating.resident.save()

    page = new_page(viewport=PHONE)
    sign_in(page, "coordinator")
    week = page.locator("#followups-this-week")
    assert due.resident.display_name in week.inner_text()
    anniversaries = page.locator("#anniversaries-this-week")
    assert celebrating.resident.display_name in anniversaries.inner_text()
    assert "1 year" in anniversaries.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "week-coordinator-home-phone")
