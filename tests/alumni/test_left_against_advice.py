"""Leaving against advice (issue 21): contact at 24 hours, 3 and 7 days before the usual
months, flagged urgent on the coordinator's home; the personal link stays open 30 days
unless the counselor closes it."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from alumni.models import FollowUp
from checkins.models import CheckinLink, ReminderPlan

from ..factories import ResidentFactory


def test_the_first_days_after_leaving_against_advice(as_user, counselor, coordinator, centre):
    resident = ResidentFactory(centre=centre, full_name="Sunil Meena", phone="+919800000077")
    plan = ReminderPlan.objects.create(resident=resident, centre=centre)
    token = plan.new_link()
    today = timezone.localdate()
    as_user(counselor).post(
        reverse("resident_discharge", args=[resident.pk]),
        {"discharge_date": today.isoformat(), "discharge_reason": "against_advice"},
    )
    early = FollowUp.objects.filter(profile__resident=resident, days__gt=0).order_by("days")
    assert [(f.days, f.due_on) for f in early] == [
        (d, today + dt.timedelta(days=d)) for d in (1, 3, 7)
    ]
    # the personal link still opens (the help button works) ...
    assert CheckinLink.live(token) is not None
    assert as_user(counselor).get(reverse("checkins:answer", args=[token])).status_code == 200
    # ... for 30 days
    later = timezone.now() + dt.timedelta(days=31)
    assert CheckinLink.live(token, now=later) is None
    # the next day the coordinator sees the 24-hour contact, urgent, on their home
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        page = as_user(coordinator).get(reverse("home")).content.decode()
    assert "Urgent: left against advice" in page and "Sunil Meena" in page
    assert "contact after 1 day" in page
    # the counselor may close the link at once
    as_user(counselor).post(reverse("checkins:plan_close_links", args=[resident.pk]))
    assert CheckinLink.live(token) is None


def test_a_completed_programme_still_closes_the_link(as_user, counselor, centre):
    resident = ResidentFactory(centre=centre)
    plan = ReminderPlan.objects.create(resident=resident, centre=centre)
    token = plan.new_link()
    as_user(counselor).post(
        reverse("resident_discharge", args=[resident.pk]),
        {"discharge_date": timezone.localdate().isoformat(), "discharge_reason": "completed"},
    )
    assert CheckinLink.live(token) is None
    assert not FollowUp.objects.filter(days__gt=0).exists()
