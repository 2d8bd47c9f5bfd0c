import urllib.request

from django.contrib.auth import get_user_model
from django.utils import timezone
from icalendar import Calendar

from families import access
from families.models import FamilyMeeting
from kendra.models import Consent

from .conftest import PHONE, open_menu, screenshot, sign_in, size


def fetch(url):
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 - the live test server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_family_member_sees_their_schedule_in_hindi_and_subscribes(
    demo, new_page, live_server, viewport
):
    family = get_user_model().objects.get(username="family")
    expected = set(
        access.family_meetings(family).upcoming(timezone.now()).values_list("uid", flat=True)
    )
    assert len(expected) >= 3
    assert FamilyMeeting.objects.filter(uid__in=expected, status="cancelled").exists()
    assert FamilyMeeting.objects.filter(uid__in=expected, moved_from__isnull=False).exists()

    page = new_page(viewport=viewport, locale="en-IN")
    sign_in(page, "family")
    page.goto("/families/schedule/")
    # The language button lives in the collapsed menu on a phone.
    open_menu(page)
    page.locator("form.language-switch button[value=hi]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "hi"
    assert page.url.endswith("/families/schedule/")
    shown = set(
        page.locator("#upcoming [data-meeting]").evaluate_all(
            "els => els.map(e => e.dataset.meeting)"
        )
    )
    assert shown == {str(uid) for uid in expected}
    # Visiting days of the resident: the demo's Sunday and Wednesday hours, 14 days ahead.
    shown_visits = set(
        page.locator("#visiting-days [data-visit]").evaluate_all(
            "els => els.map(e => e.dataset.visit)"
        )
    )
    assert len(shown_visits) >= 3
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    # Nothing of the other family of the same centre.
    body = page.locator("main").inner_text()
    assert "spouses" not in body.lower()
    screenshot(page, f"family-schedule-{size(viewport)}-hi")

    page.locator("a[href='/families/calendar/']").first.click()
    # The link is shown once, right after it is made (only its hash is kept).
    assert page.locator("#feed-url").count() == 0
    page.locator("#make-calendar-link").click()
    feed_url = page.locator("#feed-url").input_value()
    assert page.locator("#calendar-link").get_attribute("href").startswith("webcal://")
    screenshot(page, f"family-calendar-{size(viewport)}")
    status, content = fetch(feed_url)
    assert status == 200
    cal = Calendar.from_ical(content)
    uids = {str(event["uid"]).removesuffix("@kendra") for event in cal.walk("VEVENT")}
    # Exactly the family's upcoming meetings, plus their resident's visiting days.
    visits = {uid for uid in uids if uid.startswith("visiting-")}
    assert uids - visits == {str(uid) for uid in expected}
    assert visits == {uid.removesuffix("@kendra") for uid in shown_visits}
    assert {str(e["status"]) for e in cal.walk("VEVENT")} == {"CONFIRMED", "CANCELLED"}

    # The resident withdraws consent: from the next request, nothing.
    counselor = get_user_model().objects.get(username="counselor")
    for consent in Consent.objects.filter(grantee=family, withdrawn_at__isnull=True):
        consent.withdraw(counselor)
    page.goto("/families/schedule/")
    assert page.locator("#no-access").is_visible()
    assert page.locator("[data-meeting]").count() == 0
    assert page.locator("[data-visit]").count() == 0
    page.goto("/")
    assert page.locator("[data-meeting]").count() == 0
    assert fetch(feed_url)[0] == 404
    screenshot(page, f"family-no-access-{size(viewport)}")


def test_family_groups_page_fits_a_counselors_phone(demo, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, "counselor")
    page.goto("/families/groups/")
    assert page.get_by_role("heading", name="Family groups").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="Saturday parents' circle").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "family-group-phone")
