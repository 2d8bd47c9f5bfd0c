from .conftest import PHONE, screenshot, sign_in, size


def test_counselor_admits_a_resident_and_finds_them(demo, new_page, viewport):
    page = new_page(viewport=viewport)
    sign_in(page, "counselor")
    page.get_by_role("main").get_by_role("link", name="Residents").click()
    page.get_by_role("link", name="Admit a resident").click()
    page.get_by_label("Full name").fill("Naveen Chauhan")
    page.get_by_label("Gender").select_option("male")
    page.get_by_label("Date of birth").fill("1991-07-14")
    page.get_by_label("Phone").fill("9414099887")
    page.get_by_role("button", name="Admit").click()
    page.get_by_text("Naveen Chauhan has been admitted.").wait_for()
    screenshot(page, f"resident-detail-{size(viewport)}")
    page.goto("/residents/?q=Naveen")
    assert page.get_by_role("link", name="Naveen Chauhan").is_visible()


def test_resident_list_fits_a_phone(demo, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, "counselor")
    page.goto("/residents/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(page, "resident-list-phone")
