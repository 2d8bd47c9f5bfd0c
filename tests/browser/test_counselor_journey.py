from groups.demo import TODAY_GROUP
from groups.models import Attendance, Session

from .conftest import PHONE, screenshot, sign_in, size

NOTE = "Spoke about the pull of old friends; agreed to call his mentor tonight."


def test_counselor_logs_todays_session_and_a_peer_leader_sees_attendance_only(
    demo, new_page, viewport
):
    page = new_page(viewport=viewport)
    sign_in(page, "counselor")
    page.get_by_role("link", name=f"Log {TODAY_GROUP}").click()
    page.get_by_role("heading", level=1, name=TODAY_GROUP).wait_for()
    rows = page.locator("form fieldset[id^=row-]")
    assert rows.count() >= 3
    absent_row, late_row = rows.nth(0), rows.nth(1)
    absent_name = absent_row.locator("legend").inner_text()
    absent_row.get_by_text("Absent", exact=True).click()
    absent_row.get_by_text("Saved: Absent").wait_for()  # the htmx quick toggle answered
    late_row.get_by_text("Late", exact=True).click()
    late_row.get_by_text("Saved: Late").wait_for()
    late_row.get_by_label("Individual note").fill(NOTE)
    screenshot(page, f"session-log-{size(viewport)}")
    page.get_by_role("button", name="Save and sign").click()
    page.get_by_text("Session saved and signed.").wait_for()
    assert page.get_by_text(NOTE).is_visible()

    session = Session.objects.filter(group__name=TODAY_GROUP, signed_at__isnull=False).latest(
        "signed_at"
    )
    absent = Attendance.objects.get(session=session, status="absent").resident
    late = Attendance.objects.get(session=session, status="late")
    assert late.note == NOTE and absent_name.startswith(absent.full_name)
    assert session.attendances.filter(status="present").count() == session.attendances.count() - 2

    page.get_by_role("link", name="Printable sign-in sheet").click()
    assert page.get_by_role("button", name="Print").is_visible()
    assert page.get_by_role("cell", name=absent.display_name, exact=True).first.is_visible()

    page.goto(f"/residents/{absent.pk}/")
    panel = page.locator("section", has_text="Group attendance")
    first = panel.locator("tbody tr").first
    assert TODAY_GROUP in first.inner_text() and "Absent" in first.inner_text()
    assert "Attendance rate" in panel.inner_text()
    screenshot(page, f"resident-attendance-{size(viewport)}")

    leader = new_page(viewport=PHONE)
    sign_in(leader, "peerleader")
    leader.get_by_role("link", name="Groups").first.click()
    leader.get_by_role("link", name=TODAY_GROUP).click()
    leader.goto(session.get_absolute_url())
    row = leader.locator("tbody tr", has_text=absent.full_name)
    assert "Absent" in row.inner_text()
    assert "Late" in leader.locator("tbody tr", has_text=late.resident.full_name).inner_text()
    html = leader.content()
    assert NOTE not in html and "Individual note" not in html and "Group note" not in html
    assert leader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(leader, "session-peer-leader-phone")
