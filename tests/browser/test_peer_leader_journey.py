from mentors.models import ContactLog, MentorProfile, Pairing

from .conftest import PHONE, screenshot, sign_in, size


def log_contact(page, note):
    page.get_by_label("Phone call").check()
    page.get_by_label("Good", exact=True).check()
    page.get_by_label("Short note").fill(note)
    page.get_by_role("button", name="Save contact").click()
    page.get_by_text("Contact logged. Thank you.").wait_for()


def test_peer_leader_pairs_a_new_resident_and_a_contact_is_logged(demo, new_page, viewport):
    page = new_page(viewport=viewport)
    sign_in(page, "peerleader")
    page.get_by_role("main").get_by_role("link", name="Unpaired residents").click()
    page.get_by_role("heading", name="Unpaired residents").wait_for()
    first = page.locator("table tbody tr").first.get_by_role("link").first
    mentee_name = first.inner_text()
    first.click()
    page.get_by_role("heading", name=f"Mentors for {mentee_name}").wait_for()
    assert page.get_by_text("Best match").is_visible()
    assert page.get_by_text("like the mentee").first.is_visible()
    assert page.get_by_text("days sober").first.is_visible()
    screenshot(page, f"mentor-suggestions-{size(viewport)}")
    page.get_by_role("button", name="Assign").first.click()
    page.get_by_text("is now the mentor of").wait_for()

    pairing = Pairing.objects.active().select_related("mentor").get(mentee__full_name=mentee_name)
    demo_mentor = MentorProfile.objects.get(user__username="mentor")
    if pairing.mentor == demo_mentor:
        page = new_page(viewport=PHONE)
        sign_in(page, "mentor")
        page.goto("/mentors/mine/")
        page.get_by_role("link", name=f"Log a contact with {pairing.mentee.display_name}").click()
    else:
        page.goto("/mentors/pairings/")
        page.get_by_label("Search by mentee or mentor name").fill(mentee_name)
        page.get_by_role("button", name="Filter").click()
        page.get_by_role("link", name=mentee_name).click()
        page.get_by_role("link", name="Log a contact").click()
    log_contact(page, "First call: settling in, sleeping badly.")
    assert ContactLog.objects.filter(pairing=pairing, mood=4, method="call").exists()


def test_the_queue_and_pairings_fit_a_phone(demo, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, "peerleader")
    for path in ["/mentors/queue/", "/mentors/pairings/", "/mentors/profiles/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    screenshot(page, "mentor-profiles-phone")
