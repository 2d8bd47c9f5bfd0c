from mentors.models import ContactLog

from .conftest import screenshot, sign_in, size
from .test_peer_leader_journey import log_contact


def test_the_mentor_finds_their_mentees_and_logs_a_contact(demo, new_page, viewport):
    page = new_page(viewport=viewport)
    sign_in(page, "mentor")
    page.get_by_role("main").get_by_role("link", name="My mentees").click()
    page.get_by_role("heading", name="My mentees").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"my-mentees-{size(viewport)}")
    before = ContactLog.objects.count()
    page.get_by_role("link", name="Log a contact with").first.click()
    log_contact(page, "Met after the circle.")
    assert ContactLog.objects.count() == before + 1
    # A mentor is offered no resident list and no clinical pages.
    page.goto("/")
    assert page.locator("a[href='/residents/']").count() == 0
