"""With the demo data, every chart has something to draw and every canvas is drawn."""

import datetime as dt

from django.utils import timezone

from .conftest import PHONE, screenshot, sign_in


def drawn_charts(page):
    page.wait_for_load_state("load")
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() > 0
    page.wait_for_function(
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.drawn)"
    )
    return canvases.count()


def test_the_centre_admin_home_shows_five_trends_drawn_from_demo_data(demo, new_page):
    page = new_page()
    sign_in(page, "admin")
    assert drawn_charts(page) == 5
    assert page.get_by_text("Nothing to show yet for this period.").count() == 0
    screenshot(page, "home-centre-admin-trends")


def test_the_monthly_report_draws_every_chart_from_demo_data(demo, new_page):
    page = new_page()
    sign_in(page, "admin")
    today = timezone.localdate()
    page.goto(f"/reports/monthly/?start={today - dt.timedelta(days=60)}&end={today}")
    assert drawn_charts(page) == 3
    assert page.get_by_text("Nothing to show yet for this period.").count() == 0
    page.get_by_text("Show the numbers").first.click()
    assert page.locator("details[open] table").first.is_visible()
    screenshot(page, "report-monthly-desktop")
    page.emulate_media(media="print")
    screenshot(page, "report-monthly-print")


def test_the_report_fits_a_phone(demo, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, "counselor")
    page.goto("/reports/monthly/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "report-monthly-phone")


def test_a_residents_page_charts_mood_and_craving(demo, new_page):
    from checkins.models import CheckIn

    resident = CheckIn.objects.select_related("resident").latest("at").resident
    page = new_page()
    sign_in(page, "counselor")
    page.goto(f"/residents/{resident.pk}/")
    assert page.locator("canvas[data-chart='resident-mood']").count() == 1
    drawn_charts(page)
    screenshot(page, "resident-mood-chart")
