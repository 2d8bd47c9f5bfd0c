from kendra.models import AuditEvent

from .conftest import screenshot, sign_in, size


def test_the_centre_admin_opens_a_resident_then_finds_it_in_the_audit_log(demo, new_page, viewport):
    page = new_page(viewport=viewport)
    sign_in(page, "admin")
    page.get_by_role("main").get_by_role("link", name="Residents", exact=True).click()
    page.get_by_role("heading", name="Residents").first.wait_for()
    link = page.get_by_role("main").locator("table tbody tr a").first
    name = link.inner_text()
    link.click()
    page.get_by_role("heading", level=1, name=name).wait_for()
    assert AuditEvent.objects.filter(action="resident.viewed", user__username="admin").exists()

    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Audit log").click()
    page.get_by_role("heading", name="Audit log").wait_for()
    assert page.get_by_role("main").get_by_text(name).first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"audit-log-{size(viewport)}")

    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Import residents").click()
    page.get_by_role("button", name="Check the file").wait_for()
    screenshot(page, f"import-{size(viewport)}")
