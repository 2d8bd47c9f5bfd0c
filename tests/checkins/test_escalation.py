"""Alerts nobody acknowledges go further, one step per window, and never twice."""

import threading

import pytest
import time_machine
from django.db import connection

from checkins import actions, escalation, tasks
from checkins.models import Alert, AlertEvent
from kendra.models import Role
from kendra.notify.models import Notification

from ..rota.factories import put_on_duty
from .conftest import at
from .test_help import staff

PRESSED = "2026-12-02 22:00"


@pytest.fixture
def team(centre):
    anjali = staff(Role.COUNSELOR, centre, "anjali", "Anjali", "+919800000002")
    bala = staff(Role.COUNSELOR, centre, "bala", "Bala", "+919800000003")
    vikram = staff(Role.CENTRE_ADMIN, centre, "vikram", "Vikram", "+919800000009")
    put_on_duty(centre, anjali, at(PRESSED))
    return anjali, bala, vikram


def escalations():
    return sorted(
        Notification.objects.filter(kind="escalation").values_list(
            "recipient_user__username", "channel"
        )
    )


def beat(when):
    with time_machine.travel(at(when), tick=False):
        return tasks.escalate_alerts()


def press(resident, when=PRESSED):
    with time_machine.travel(at(when), tick=False):
        return actions.ask_for_help(resident)


def test_no_acknowledgement_for_15_minutes_tells_the_next_level_once(resident, team, no_broker):
    anjali, bala, vikram = team
    press(resident)
    assert beat("2026-12-02 22:14") == 0 and escalations() == []
    assert beat("2026-12-02 22:15") == 1
    assert beat("2026-12-02 22:15") == 0  # a second beat finds the step taken
    both = [("anjali", "in_app"), ("anjali", "sms"), ("bala", "in_app"), ("bala", "sms")]
    assert escalations() == both
    assert beat("2026-12-02 22:30") == 1  # then the centre admins
    assert escalations() == sorted(both + [("vikram", "in_app"), ("vikram", "sms")])
    assert beat("2026-12-02 23:30") == 0  # the top of the ladder: nothing further
    alert = Alert.objects.get()
    lines = [e.line for e in alert.events.all()]
    assert "22:15: not acknowledged in time, sent on to every counselor of the centre" in lines
    assert "22:30: Vikram (the centre admins) told by In Kendra, SMS" in lines


def test_acknowledging_stops_the_escalation(resident, team, no_broker):
    anjali, _bala, _vikram = team
    alert = press(resident).alert
    with time_machine.travel(at("2026-12-02 22:10"), tick=False):
        assert actions.acknowledge(alert, anjali)
    assert beat("2026-12-02 22:20") == 0 and beat("2026-12-02 23:00") == 0
    assert escalations() == []
    kinds = [e.kind for e in AlertEvent.objects.filter(alert=alert)]
    assert kinds[-1] == "acknowledged"
    assert AlertEvent.objects.get(kind="acknowledged").user == anjali


def test_another_warning_goes_to_the_centre_admins_after_24_hours_in_kendra(
    resident, team, no_broker
):
    with time_machine.travel(at("2026-12-02 09:00"), tick=False):
        actions.record_checkin(resident, mood=1, source="link")
    assert beat("2026-12-03 08:59") == 0
    assert beat("2026-12-03 09:00") == 1
    assert escalations() == [("vikram", "in_app")]  # not urgent: no SMS


def test_a_warning_nobody_could_be_told_goes_to_the_admins_at_once(centre, resident, no_broker):
    staff(Role.CENTRE_ADMIN, centre, "vikram", "Vikram")
    with time_machine.travel(at("2026-12-02 09:00"), tick=False):
        actions.record_checkin(resident, mood=1, source="link")
    assert beat("2026-12-02 09:01") == 1 and escalations() == [("vikram", "in_app")]


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_never_escalate_twice(resident, team, no_broker):
    press(resident)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait(10)
            results.append(escalation.escalate_due(at("2026-12-02 22:16")))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [0, 1]
    assert len(escalations()) == 4  # anjali and bala, by SMS and in Kendra, once
    assert AlertEvent.objects.filter(kind="escalated").count() == 1


def test_the_beat_runs_the_escalation_every_minute():
    from kendra.celery import app

    entry = app.conf.beat_schedule["checkins-escalate"]
    assert entry["task"] == "kendra.checkins.tasks.escalate_alerts" and entry["schedule"] == 60.0
