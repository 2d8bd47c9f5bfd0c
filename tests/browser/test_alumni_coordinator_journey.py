"""The alumni coordinator's journey (issue 6): home page, consent decision, a visit to a
sharing circle next week — proposed, confirmed, and after the date its outcome — a
follow-up, and a success story published with consent and withdrawn."""

import datetime as dt

import time_machine
from django.utils import timezone

from alumni.models import AlumniProfile, SuccessStory, Visit
from groups.models import Kind, Session
from kendra.models import Centre

from .conftest import PHONE, screenshot, sign_in, size


def _circle_next_week():
    """A planned sharing-circle session of Jaipur in the coming week (days 7 to 13)."""
    today = timezone.localdate()
    return (
        Session.objects.filter(
            centre=Centre.objects.get(name__contains="Jaipur"),
            group__kind=Kind.CIRCLE,
            status=Session.Status.PLANNED,
            start__date__gte=today + dt.timedelta(days=7),
            start__date__lte=today + dt.timedelta(days=13),
        )
        .select_related("group")
        .order_by("start")
        .first()
    )


def _free_alumnus():
    return AlumniProfile.objects.filter(
        centre__name__contains="Jaipur",
        consent_decision=AlumniProfile.Decision.OPTED_IN,
        available_for_visits=True,
        visits__isnull=True,
    ).first()


def test_coordinator_sees_the_week_proposes_confirms_and_records_a_circle_visit(
    demo, new_page, viewport
):
    page = new_page(viewport=viewport)
    sign_in(page, "coordinator")
    panel = page.locator("section", has=page.get_by_role("heading", name="Alumni this week"))
    assert panel.get_by_text("follow-ups due").is_visible()
    assert panel.get_by_role("heading", name="Milestones this month").is_visible()
    assert "sober" in panel.inner_text()
    screenshot(page, f"coordinator-home-{size(viewport)}")

    # A consent decision for someone newly discharged.
    page.get_by_role("main").get_by_role("link", name="Alumni", exact=True).click()
    page.get_by_role("link", name="Consent decisions").click()
    page.get_by_role("link", name="Record decision for").first.click()
    page.get_by_label("Yes, they agree to be contacted").check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Their decision has been recorded.").wait_for()

    # A visit by an alumnus to a sharing circle next week: propose, then confirm.
    circle, alumnus = _circle_next_week(), _free_alumnus()
    assert circle is not None and alumnus is not None
    start = timezone.localtime(circle.start)
    page.goto("/alumni/visits/")
    page.get_by_role("link", name="Propose a visit").click()
    page.locator(f"input[name=alumni][value='{alumnus.pk}']").check()
    page.get_by_label("Group session joined").select_option(str(circle.pk))
    page.get_by_label("Date").fill(start.date().isoformat())
    page.get_by_label("Time").fill(start.strftime("%H:%M"))
    page.get_by_label("Purpose").select_option("share_story")
    page.get_by_role("button", name="Propose visit").click()
    page.get_by_text("The visit is proposed.").wait_for()
    assert page.get_by_text("Sharing circle").first.is_visible()
    page.get_by_role("button", name="Confirm visit").click()
    page.get_by_text("The visit is confirmed.").wait_for()
    assert page.get_by_text("Status: Confirmed").is_visible()
    visit = Visit.objects.get(session_id=circle.pk)
    assert visit.status == Visit.Status.CONFIRMED and list(visit.alumni.all()) == [alumnus]

    # A follow-up outcome.
    page.goto("/alumni/follow-ups/")
    page.get_by_role("link", name="Record outcome for").first.click()
    page.get_by_label("Reached, sober").check()
    page.get_by_role("button", name="Save outcome").click()
    page.get_by_text("The follow-up is recorded.").wait_for()
    screenshot(page, f"coordinator-follow-ups-{size(viewport)}")

    # After the date: the clock moves past the circle (staff are signed out when idle).
    with time_machine.travel(visit.ends_at + dt.timedelta(hours=2), tick=True):
        sign_in(page, "coordinator")
        page.goto(f"/alumni/visits/{visit.pk}/")
        page.get_by_role("link", name="Record how it went").click()
        page.get_by_label("How did it go?").fill("He shared his first year; many questions.")
        page.get_by_label("How many residents took part?").fill("12")
        page.get_by_role("button", name="Save outcome").click()
        page.get_by_text("The visit is recorded as done.").wait_for()
        assert page.get_by_text("Status: Done").is_visible()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE and visit.residents_reached == 12


def test_coordinator_publishes_a_story_with_consent_and_withdraws_it(demo, new_page, viewport):
    page = new_page(viewport=viewport)
    sign_in(page, "coordinator")
    page.goto("/alumni/stories/")
    page.get_by_role("link", name="Write a story").click()
    page.get_by_label("Alumnus").select_option(index=1)
    page.get_by_label("Title").fill("Naya savera")
    page.get_by_label("The story").fill("The mornings are mine again.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("saved as a draft").wait_for()
    page.get_by_role("link", name="Record consent and publish").click()
    page.get_by_role("button", name="Publish story").click()  # no consent ticked
    page.get_by_text("published only with the alumnus").first.wait_for()
    assert not SuccessStory.objects.filter(title="Naya savera", published=True).exists()
    page.get_by_label("They have read").check()
    page.get_by_role("button", name="Publish story").click()
    page.get_by_text("the story is published inside Kendra").wait_for()
    page.goto("/alumni/stories/read/")
    assert page.get_by_role("heading", name="Naya savera").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"stories-{size(viewport)}")
    story = SuccessStory.objects.get(title="Naya savera")
    page.goto(f"/alumni/stories/{story.pk}/")
    page.get_by_role("link", name="Consent withdrawn: hide the story").click()
    page.get_by_role("button", name="Yes, consent withdrawn: hide it").click()
    page.get_by_text("hidden from everyone now").wait_for()
    page.goto("/alumni/stories/read/")
    assert page.get_by_role("heading", name="Naya savera").count() == 0


def test_alumni_pages_fit_a_phone(demo, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, "coordinator")
    for url in [
        "/alumni/",
        "/alumni/visits/?show=all",
        "/alumni/follow-ups/",
        "/alumni/stories/",
        "/alumni/visits/propose/",
    ]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    screenshot(page, "alumni-follow-ups-phone")
