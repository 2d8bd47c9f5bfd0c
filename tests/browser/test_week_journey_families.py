"""A week in a centre (issue 22), the families' and alumni's part: on a phone a family
member answers "we will come", and the counselor marks the meeting held with that family
present; the coordinator's home shows the follow-up due and the anniversary; the monthly
report shows the family as reached."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from alumni.models import AlumniProfile, FollowUp, add_months
from families import access
from families.models import FamilyMeeting, FamilyMember, MeetingAnswer
from kendra.models import Resident
from reports import metrics

from .conftest import PHONE, screenshot, sign_in


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
