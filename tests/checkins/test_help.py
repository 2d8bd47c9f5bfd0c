""" "I need help now": every press counts, the page tells the truth, nothing is silent."""

import re

import pytest
import time_machine
from django.urls import reverse

from checkins import actions
from checkins.models import Alert, AlertEvent
from kendra.models import Profile, Role
from kendra.notify.models import Notification

from ..factories import member
from ..mentors.conftest import make_mentor, make_pairing
from ..rota.factories import put_on_duty
from .conftest import at, make_plan

NIGHT = "2026-12-02 22:00"


def staff(role, centre, username, first_name, phone=""):
    user = member(role, centre, username=username, first_name=first_name, last_name="")
    Profile.objects.create(user=user, phone=phone)
    return user


@pytest.fixture
def ravi(centre, resident):
    """The resident's mentor, with a phone."""
    user = staff(Role.MENTOR, centre, "ravi", "Ravi", "+919800000001")
    make_pairing(make_mentor(centre, user=user), resident)
    return user


@pytest.fixture
def anjali(centre):
    """The counselor on duty tonight, with a phone."""
    user = staff(Role.COUNSELOR, centre, "anjali", "Anjali", "+919800000002")
    put_on_duty(centre, user, at(NIGHT))
    return user


def sent(user, kind="help", channel=None):
    rows = Notification.objects.filter(recipient_user=user, kind=kind)
    return rows.filter(channel=channel).count() if channel else rows.count()


def press(resident, when):
    with time_machine.travel(at(when), tick=False):
        return actions.ask_for_help(resident)


def test_two_presses_an_hour_apart_both_reach_the_mentor_and_the_counselor_on_duty(
    resident, ravi, anjali, no_broker
):
    first = press(resident, "2026-12-02 22:00")
    second = press(resident, "2026-12-02 23:14")
    for user in (ravi, anjali):
        assert sent(user, channel="sms") == 2 and sent(user, channel="in_app") == 2
    # The second press re-opened the same alert and is on its timeline.
    assert first.alert.pk == second.alert.pk and Alert.objects.count() == 1
    lines = [e.line for e in AlertEvent.objects.filter(alert=first.alert)]
    assert "Pressed “I need help now” at 22:00" in lines and "Pressed again at 23:14" in lines
    # Each press has its own slot, so the outbox really wrote new rows.
    assert Notification.objects.filter(kind="help").values("slot").distinct().count() == 2


def test_a_press_after_the_alert_was_resolved_is_a_new_alert(resident, ravi, anjali, no_broker):
    first = press(resident, "2026-12-02 22:00")
    actions.resolve(first.alert, anjali, "Spoke with him.")
    second = press(resident, "2026-12-02 22:30")
    assert second.alert.pk != first.alert.pk and sent(ravi, channel="sms") == 2


def test_an_acknowledged_alert_is_reopened_by_another_press(resident, ravi, anjali, no_broker):
    first = press(resident, "2026-12-02 22:00")
    actions.acknowledge(first.alert, anjali)
    press(resident, "2026-12-02 22:20")
    alert = Alert.objects.get()
    assert alert.status == "open" and alert.acknowledged_by is None and alert.escalate_at
    assert sent(anjali, channel="sms") == 2


def test_a_double_tap_counts_once(resident, ravi, anjali, no_broker):
    first = press(resident, "2026-12-02 22:00")
    with time_machine.travel(at("2026-12-02 22:00").replace(second=40), tick=False):
        second = actions.ask_for_help(resident)
    assert not second.counted and second.event.pk == first.event.pk
    assert sent(ravi) == 2 and sent(anjali) == 2  # one SMS and one in Kendra each
    assert [e.user for e in second.told] == [ravi, anjali]
    assert AlertEvent.objects.filter(kind__in=["pressed", "pressed_again"]).count() == 1


def test_other_rules_keep_one_alert_a_day(resident, anjali, no_broker):
    with time_machine.travel(at(NIGHT), tick=False):
        actions.record_checkin(resident, mood=1, source="link")
        actions.record_checkin(resident, mood=1, source="link")
    assert Alert.objects.filter(rule="low_mood").count() == 1


# --- the page ------------------------------------------------------------------------


def page_text(response):
    html = response.content.decode()
    block = html[html.index('class="answer mx-auto help-outcome"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block))


def test_the_page_says_who_was_told_and_how_from_the_outbox_rows(
    client, centre, resident, ravi, no_broker
):
    anjali = staff(Role.COUNSELOR, centre, "anjali", "Anjali")  # on duty, but no phone
    plan = make_plan(centre, resident=resident)
    with time_machine.travel(at(NIGHT), tick=False):
        put_on_duty(centre, anjali)
        text = page_text(
            client.post(reverse("checkins:answer", args=[plan.new_link()]), {"help": "1"})
        )
    rows = set(Notification.objects.filter(kind="help").values_list("recipient_user", "channel"))
    assert rows == {(ravi.pk, "sms"), (ravi.pk, "in_app"), (anjali.pk, "in_app")}
    assert "We sent an SMS to your mentor, Ravi." in text
    assert "The counselor on duty, Anjali, has been alerted in Kendra." in text
    assert "We sent an SMS to the counselor on duty" not in text
    assert "We could not reach" not in text and "centre admin" not in text


def test_nobody_reachable_shows_both_numbers_and_alerts_a_centre_admin(
    client, centre, resident, no_broker, settings
):
    settings.KENDRA_HELPLINE = "14416"
    centre.emergency_phone = "+911412222999"
    centre.save()
    vikram = staff(Role.CENTRE_ADMIN, centre, "vikram", "Vikram", "+919800000009")
    staff(Role.COUNSELOR, centre, "offduty", "Bala", "+919800000003")  # not on the rota
    plan = make_plan(centre, resident=resident)
    with time_machine.travel(at(NIGHT), tick=False):
        response = client.post(reverse("checkins:answer", args=[plan.new_link()]), {"help": "1"})
    text = page_text(response)
    assert not Notification.objects.filter(kind="help").exists()
    told = set(Notification.objects.values_list("recipient_user__username", "kind", "channel"))
    assert told == {("vikram", "escalation", "sms"), ("vikram", "escalation", "in_app")}
    assert "We could not reach your mentor or the counselor on duty by phone." in text
    assert "A centre admin, Vikram, has been alerted." in text
    assert "+911412222999" in text and "14416" in text and "Tele-MANAS" in text
    assert "We sent an SMS" not in text and "Bala" not in text
    assert 'href="tel:14416"' in response.content.decode()
    alert = Alert.objects.get()
    assert [e.kind for e in alert.events.all()] == ["pressed", "nobody_reached", "told"]
    assert alert.events.get(kind="told").user == vikram


def test_help_on_a_revoked_link_is_a_plain_404(client, centre, resident, anjali, no_broker):
    plan = make_plan(centre, resident=resident)
    old = plan.new_link()
    actions.new_link(plan, anjali)
    response = client.post(reverse("checkins:answer", args=[old]), {"help": "1"})
    assert response.status_code == 404
    assert resident.display_name not in response.text and "help" not in response.text.lower()
    assert not Alert.objects.exists() and not Notification.objects.exists()


def test_the_help_page_costs_a_bounded_number_of_queries(
    client, centre, resident, ravi, anjali, no_broker, django_assert_max_num_queries
):
    plan = make_plan(centre, resident=resident)
    url = reverse("checkins:answer", args=[plan.new_link()])
    with time_machine.travel(at(NIGHT), tick=False):
        with django_assert_max_num_queries(40):
            assert client.post(url, {"help": "1"}).status_code == 200
