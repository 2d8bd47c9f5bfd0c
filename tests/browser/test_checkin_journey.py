from django.utils import translation

from checkins.models import ReminderPlan

from .conftest import PHONE, screenshot, sign_in, size


def test_a_resident_answers_by_link_in_hindi_and_the_counselor_sees_it(demo, new_page, viewport):
    plan = (
        ReminderPlan.objects.select_related("resident")
        .filter(resident__status="admitted", resident__centre__name__contains="Jaipur")
        .exclude(resident__alerts__isnull=False)
        .order_by("resident__full_name")
        .first()
    )
    name = plan.resident.display_name
    phone = new_page(viewport=viewport)
    phone.goto(f"/checkins/c/{plan.new_link()}/")
    button = phone.locator("form.language-switch button")
    if phone.locator("html").get_attribute("lang") != "hi":
        button.click()
    phone.wait_for_selector('html[lang="hi"]')
    assert phone.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    phone.locator("label[for=mood-1]").click()  # tap the saddest face
    phone.locator("label[for=craving-8]").click()
    screenshot(phone, f"checkin-link-{size(viewport)}-hi")
    phone.locator("form:has(#id_note) button[type=submit]").click()
    phone.wait_for_selector("h1")
    assert phone.locator("html").get_attribute("lang") == "hi"
    with translation.override("hi"):
        thanks = translation.gettext("Thank you. Your answer is saved.")
    assert phone.locator("h1").inner_text() == thanks

    desk = new_page(viewport=viewport)
    sign_in(desk, "counselor")
    desk.goto("/checkins/grid/")
    row = desk.locator("tr", has_text="Today by Personal link")
    assert (
        name in row.inner_text()
        and "Very bad" in row.inner_text()
        and "craving 8" in row.inner_text()
    )
    desk.goto("/checkins/alerts/")
    # Two alerts, low mood and strong craving, each with the reason in words.
    assert desk.locator("tr.alert-row", has_text=f"{name} rated their craving 8 of 10").count() == 1
    assert (
        desk.locator("tr.alert-row", has_text=f"{name} said their mood was “Very bad”").count() == 1
    )
    screenshot(desk, f"checkin-alerts-{size(viewport)}")


def test_the_grid_fits_a_phone(demo, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, "counselor")
    page.goto("/checkins/grid/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "checkin-grid-phone")
