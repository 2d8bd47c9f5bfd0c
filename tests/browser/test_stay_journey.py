"""A whole stay, seen in a browser (issue 21).

This part: on a desktop a counselor writes the relapse-prevention plan with a resident;
on a phone, in Hindi, the resident opens their personal link, reads the plan, presses
"I need help now" and sees the people to call under the truthful message."""

import re

from django.utils import translation

from checkins.models import ReminderPlan
from mentors.models import Pairing
from recovery.models import RecoveryPlan

from .conftest import PHONE, screenshot, sign_in

WHAT_HELPS = "दस मिनट टहलना"
TRIGGER = "शाम को अकेले रहना"


def hindi(msgid):
    with translation.override("hi"):
        return translation.gettext(msgid)


def _mentee_with_a_link():
    """An admitted Jaipur resident with a mentor (a real contact to choose) and a plan of
    reminders; the demo's relapse-prevention plan is removed so it is written here."""
    pairing = (
        Pairing.objects.filter(
            ended_at__isnull=True,
            mentee__status="admitted",
            mentee__centre__name__contains="Jaipur",
            mentee__reminder_plan__isnull=False,
        )
        .exclude(mentor__user__profile__phone="")
        .select_related("mentee", "mentor__resident")
        .order_by("mentee__full_name")
        .first()
    )
    RecoveryPlan.history.filter(resident_id=pairing.mentee_id).delete()
    RecoveryPlan.objects.filter(resident=pairing.mentee).delete()
    return pairing


def test_counselor_writes_plan_and_resident_reads_plan_and_presses_help(demo, new_page):
    pairing = _mentee_with_a_link()
    resident = pairing.mentee

    desk = new_page()
    sign_in(desk, "counselor")
    desk.goto(resident.get_absolute_url())
    desk.get_by_role("link", name="Write the plan with the resident").click()
    desk.locator("#id_language").select_option("hi")
    desk.locator("#id_triggers").fill(f"{TRIGGER}\nपुराने दोस्त")
    desk.locator("#id_warning_signs").fill("नींद न आना")
    desk.locator("#id_what_helps").fill(f"मेंटर को फ़ोन करना\n{WHAT_HELPS}")
    desk.locator("#id_reasons").fill("मेरी बेटी")
    desk.get_by_label(pairing.mentor.user.get_full_name(), exact=False).first.check()
    desk.locator("#id_other_name_1").fill("बड़े भैया")
    desk.locator("#id_other_phone_1").fill("+91 98290 11122")
    screenshot(desk, "plan-form-desktop")
    desk.get_by_role("button", name="Save the plan").click()
    desk.wait_for_selector("text=Relapse-prevention plan saved as a new version.")
    assert "Version 1, written with" in desk.locator("main").inner_text()
    plan = RecoveryPlan.objects.get(resident=resident)
    assert plan.written_with.username == "counselor" and plan.language == "hi"
    assert [p["who"] for p in plan.people] == ["mentor", "other"]
    # The card prints on one A6 page (105 × 148 mm: 298 × 420 points).
    desk.get_by_role("link", name="Print the card").first.click()
    desk.wait_for_selector(".plan-card")
    pdf = desk.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one page
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert box and abs(float(box[1]) - 298) < 3 and abs(float(box[2]) - 420) < 3
    screenshot(desk, "plan-card-desktop")

    phone = new_page(viewport=PHONE, locale="hi-IN")
    token = ReminderPlan.objects.get(resident=resident).new_link()
    phone.goto(f"/checkins/c/{token}/")
    if phone.locator("html").get_attribute("lang") != "hi":
        phone.locator("form.language-switch button").click()
        phone.wait_for_selector('html[lang="hi"]')
    mine = phone.locator(".my-plan")
    assert hindi("My plan") in mine.inner_text() and WHAT_HELPS in mine.inner_text()
    assert TRIGGER in mine.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "plan-on-link-phone-hi")

    phone.locator("button[name=help]").click()
    phone.wait_for_selector(".help-outcome h1")
    outcome = phone.locator(".help-outcome").inner_text()
    truthful = phone.locator(".help-outcome h1").inner_text()
    assert outcome.index(truthful) < outcome.index(hindi("People to call"))
    calls = phone.locator(".my-plan .people-to-call a")
    hrefs = [calls.nth(i).get_attribute("href") for i in range(calls.count())]
    mentor_phone = plan.people[0]["phone"].replace(" ", "")
    assert f"tel:{mentor_phone}" in hrefs and "tel:+919829011122" in hrefs
    assert WHAT_HELPS in outcome
    # The mentor on the plan is the one the truthful message says was told.
    assert plan.people[0]["name"] in phone.locator(".help-outcome .told").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "help-with-plan-phone-hi")


def test_admit_leave_against_advice_and_come_back(demo, new_page):
    """On a desktop a counselor admits a resident (a check-in plan exists from the first
    day) and discharges them against advice; the coordinator sees the 24-hour contact due,
    urgent; a month later the counselor admits them again, and the monthly report counts
    one readmission."""
    import datetime as dt

    from django.utils import timezone

    from kendra.models import Resident, Stay

    today = timezone.localdate()
    desk = new_page()
    sign_in(desk, "counselor")
    desk.goto("/residents/admit/")
    desk.get_by_label("Full name").fill("Harish Bairwa")
    desk.get_by_label("Gender").select_option("male")
    desk.get_by_label("Date of birth").fill("1993-02-11")
    desk.get_by_label("Phone").fill("9414055501")
    desk.get_by_label("Agrees to receive check-in reminders by SMS").check()
    desk.get_by_role("button", name="Admit").click()
    desk.get_by_text("Harish Bairwa has been admitted.").wait_for()
    resident = Resident.objects.get(full_name="Harish Bairwa")
    assert ReminderPlan.objects.get(resident=resident).channel == "sms"
    assert "Current stay" in desk.locator("main").inner_text()

    desk.get_by_role("link", name="Discharge").click()
    desk.get_by_label("Discharge date").fill(today.isoformat())
    desk.get_by_label("Discharge reason").select_option("against_advice")
    desk.get_by_role("button", name="Confirm discharge").click()
    desk.get_by_text("has been discharged").wait_for()
    screenshot(desk, "stay-discharged-against-advice-desktop")

    coordinator = new_page()
    sign_in(coordinator, "coordinator")
    urgent = coordinator.locator(".alert-danger", has_text="Urgent: left against advice")
    assert "Harish Bairwa" in urgent.inner_text() and "1 day" in urgent.inner_text()
    screenshot(coordinator, "stay-urgent-contact-coordinator")

    # A month later (the dates of the stay moved back 28 days): they come back.
    stay = Stay.objects.get(resident=resident)
    back = dt.timedelta(days=28)
    Stay.objects.filter(pk=stay.pk).update(
        admission_date=stay.admission_date - back, discharge_date=stay.discharge_date - back
    )
    Resident.objects.filter(pk=resident.pk).update(
        admission_date=resident.admission_date - back, discharge_date=today - back
    )
    desk.goto(resident.get_absolute_url())
    desk.get_by_role("link", name="Admit again").click()
    desk.get_by_label("Admission date").fill(today.isoformat())
    desk.get_by_role("button", name="Confirm: admit again").click()
    desk.get_by_text("has been admitted again").wait_for()
    assert Resident.objects.filter(full_name="Harish Bairwa").count() == 1
    assert Stay.objects.filter(resident=resident).count() == 2
    screenshot(desk, "stay-timeline-desktop")

    first = today.replace(day=1)
    desk.goto(f"/reports/monthly/?centre={resident.centre_id}&start={first}&end={today}")
    rows = desk.locator("tr", has_text="Readmissions within 30 days")
    assert rows.first.locator("td").inner_text().strip() == "1"
    screenshot(desk, "stay-report-readmission-desktop")
