from .conftest import PHONE, screenshot, sign_in, size


def test_coordinator_records_consent_proposes_and_confirms_a_visit_and_a_follow_up(
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

    # A visit next week: propose, then confirm.
    page.goto("/alumni/visits/")
    page.get_by_role("link", name="Propose a visit").click()
    page.locator("input[name=alumni]").first.check()
    page.get_by_label("Time").fill("15:00")
    page.get_by_label("Purpose").select_option("share_story")
    page.get_by_role("button", name="Propose visit").click()
    page.get_by_text("The visit is proposed.").wait_for()
    page.get_by_role("button", name="Confirm visit").click()
    page.get_by_text("The visit is confirmed.").wait_for()
    assert page.get_by_text("Status: Confirmed").is_visible()

    # A follow-up outcome.
    page.goto("/alumni/follow-ups/")
    page.get_by_role("link", name="Record outcome for").first.click()
    page.get_by_label("Reached, sober").check()
    page.get_by_role("button", name="Save outcome").click()
    page.get_by_text("The follow-up is recorded.").wait_for()
    screenshot(page, f"coordinator-follow-ups-{size(viewport)}")


def test_alumni_pages_fit_a_phone(demo, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, "coordinator")
    for url in ["/alumni/", "/alumni/visits/?show=all", "/alumni/follow-ups/"]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    screenshot(page, "alumni-follow-ups-phone")
