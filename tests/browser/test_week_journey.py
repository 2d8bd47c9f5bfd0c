"""A real week in a centre (issue 22): on a desktop the counselor moves Thursday's group
therapy to Friday (the form shows what will change first); on a phone the peer leader
logs and locks the morning circle they lead."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from groups import actions
from groups.models import Attendance, Kind, PeerGroup, Session

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
