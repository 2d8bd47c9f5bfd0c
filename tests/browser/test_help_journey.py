"""On a phone, in Hindi: a resident presses "I need help now" twice; the counselor on duty
sees both presses on the alert's timeline and acknowledges it."""

import datetime as dt

import time_machine
from django.utils import timezone, translation

from checkins.models import Alert, ReminderPlan
from kendra.notify.models import Notification

from .conftest import PHONE, screenshot, sign_in
from .test_hindi import use_hindi


def hindi(msgid, **values):
    with translation.override("hi"):
        return translation.gettext(msgid) % values


def press_help(phone, token):
    phone.goto(f"/checkins/c/{token}/")
    if phone.locator("html").get_attribute("lang") != "hi":
        phone.locator("form.language-switch button").click()
        phone.wait_for_selector('html[lang="hi"]')
    phone.locator("button[name=help]").click()
    phone.wait_for_selector(".help-outcome h1")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    return phone.locator(".help-outcome").inner_text()


def test_two_presses_reach_the_counselor_on_duty_who_acknowledges(demo, new_page):
    plan = (
        ReminderPlan.objects.select_related("resident")
        .filter(resident__status="admitted", resident__centre__name__contains="Jaipur")
        .exclude(resident__alerts__isnull=False)
        .order_by("resident__full_name")
        .first()
    )
    first_at = timezone.localtime()
    phone = new_page(viewport=PHONE, locale="hi-IN")
    token = plan.new_link()
    told = press_help(phone, token)
    assert hindi("We sent an SMS to the counselor on duty, %(name)s.", name="Anjali Verma") in told
    screenshot(phone, "help-pressed-phone-hi")
    # An hour later (the live server shares this process's clock) they press again.
    later = first_at + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=True):
        told_again = press_help(phone, token)
    assert hindi("We sent an SMS to the counselor on duty, %(name)s.", name="Anjali Verma") in (
        told_again
    )
    alert = Alert.objects.get(resident=plan.resident)
    assert (
        Notification.objects.filter(kind="help", recipient_user__username="counselor")
        .filter(channel="sms")
        .count()
        == 2
    )

    use_hindi("counselor")
    desk = new_page(viewport=PHONE, locale="hi-IN")
    sign_in(desk, "counselor")
    desk.goto("/checkins/alerts/")
    row = desk.locator("tr.alert-row", has=desk.locator(f"text={plan.resident.display_name}"))
    timeline = row.locator(".timeline").inner_text()
    assert hindi("Pressed “I need help now” at %(time)s", time=f"{first_at:%H:%M}") in timeline
    assert hindi("Pressed again at %(time)s", time=f"{timezone.localtime(later):%H:%M}") in timeline
    assert desk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(desk, "help-timeline-phone-hi")
    with translation.override("hi"):
        acknowledge = translation.gettext("Acknowledge")
    row.get_by_role("button", name=acknowledge).click()
    desk.wait_for_load_state()
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by.username == "counselor"
    assert alert.escalate_at is None
    # Nothing failed: the outbox has no failed row, and the admin page says so (below).
    assert not Notification.objects.filter(status="failed").exists()

    # The centre admin's "Messages not delivered" page has nothing to show.
    office = new_page()
    sign_in(office, "admin")
    office.goto("/notifications/not-delivered/")
    page_text = office.locator("main").inner_text()
    with translation.override(office.locator("html").get_attribute("lang") or "en"):
        delivered = translation.gettext("Every message was delivered.")
    assert delivered in page_text
    assert office.locator("table").count() == 0
