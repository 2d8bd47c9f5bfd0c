"""Where a form is the job, it works with JavaScript switched off (old phones, data saver)."""

from checkins.models import CheckIn
from mentors.models import ContactLog

from .conftest import PHONE, sign_in
from .pages import checkin_link


def no_js_page(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False, locale="en-IN"
    )
    return context, context.new_page()


def test_it_takes_a_check_in_by_link_without_javascript(demo, browser, live_server):
    context, page = no_js_page(browser, live_server)
    before = CheckIn.objects.count()
    page.goto(checkin_link())
    page.locator("label[for=mood-4]").click()
    page.locator("form:has(#id_note) button[type=submit]").click()
    page.wait_for_selector("h1")
    assert CheckIn.objects.count() == before + 1
    context.close()


def test_it_logs_a_mentor_contact_without_javascript(demo, browser, live_server):
    context, page = no_js_page(browser, live_server)
    sign_in(page, "mentor")
    page.goto("/mentors/mine/")
    before = ContactLog.objects.count()
    page.get_by_role("link", name="Log a contact with").first.click()
    page.get_by_label("Phone call").check()
    page.get_by_label("Good", exact=True).check()
    page.get_by_role("button", name="Save contact").click()
    page.get_by_text("Contact logged. Thank you.").wait_for()
    assert ContactLog.objects.count() == before + 1
    context.close()
