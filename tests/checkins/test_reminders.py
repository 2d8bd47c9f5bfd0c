import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from checkins import reminders
from checkins.models import Alert, CheckIn, CheckinLink, ReminderPlan
from kendra.notify import tasks
from kendra.notify.models import Notification

from .conftest import at, make_plan


def test_it_writes_one_message_with_the_personal_link_and_moves_the_plan_on(
    centre, no_broker, django_capture_on_commit_callbacks
):
    plan = make_plan(centre, due=at("2026-11-22 09:00"))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.write_due_checkin_reminders(at("2026-11-22 09:00")) == 1
    n = Notification.objects.get()
    plan.refresh_from_db()
    assert n.kind == "checkin" and n.channel == "sms" and n.address == plan.resident.phone
    # The row keeps a placeholder; the link is made for the message at send time.
    assert "{link}" in n.body and "/checkins/c/" not in n.body + n.body_html + n.link
    link = reminders.links_for_rows([n])[n.pk]
    assert "/checkins/c/" in link and link.endswith("?day=2026-11-22")
    token = link.split("/checkins/c/")[1].split("/")[0]
    assert CheckinLink.live(token).plan == plan
    assert not CheckinLink.objects.filter(token_hash=token).exists()  # only its hash
    assert plan.next_due_at == at("2026-11-23 09:00") and plan.last_due_at == at("2026-11-22 09:00")
    assert no_broker == [n.pk]


def test_running_the_tick_twice_sends_one_message_per_slot(centre, no_broker):
    make_plan(centre, due=at("2026-11-22 09:00"))
    with time_machine.travel(at("2026-11-22 09:01"), tick=False):
        tasks.tick()
        tasks.tick()
    assert Notification.objects.count() == 1


def test_two_ticks_at_once_send_one_message_per_slot(transactional_db, centre, no_broker):
    for _ in range(30):
        make_plan(centre, due=at("2026-11-22 09:00"))
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            reminders.write_due_checkin_reminders(at("2026-11-22 09:01"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Notification.objects.count() == 30
    assert Notification.objects.values("dedupe_key").distinct().count() == 30
    assert not ReminderPlan.objects.filter(next_due_at__lte=at("2026-11-22 09:01")).exists()


def test_a_paused_plan_sends_nothing(centre, no_broker):
    make_plan(centre, due=at("2026-11-22 09:00"), paused=True)
    assert reminders.write_due_checkin_reminders(at("2026-11-22 09:05")) == 0
    assert not Notification.objects.exists()


def test_a_late_tick_in_quiet_hours_waits_for_the_morning(centre, no_broker):
    plan = make_plan(
        centre,
        due=at("2026-11-22 21:00"),
        local_time=dt.time(21, 0),
        quiet_start=dt.time(22, 0),
        quiet_end=dt.time(7, 0),
    )
    assert reminders.write_due_checkin_reminders(at("2026-11-22 23:30")) == 0
    plan.refresh_from_db()
    assert plan.next_due_at == at("2026-11-23 07:00")
    assert reminders.write_due_checkin_reminders(at("2026-11-23 07:00")) == 1


def test_a_recipient_without_a_phone_is_skipped_and_the_plan_still_moves_on(
    centre, resident, no_broker
):
    plan = make_plan(centre, resident=resident, due=at("2026-11-22 09:00"))
    assert reminders.write_due_checkin_reminders(at("2026-11-22 09:00")) == 0
    plan.refresh_from_db()
    assert plan.next_due_at == at("2026-11-23 09:00")


def test_two_missed_check_ins_in_a_row_raise_an_alert_and_one_does_not(
    centre, counselor, no_broker
):
    plan = make_plan(centre, due=at("2026-11-20 09:00"))
    reminders.write_due_checkin_reminders(at("2026-11-20 09:00"))
    reminders.write_due_checkin_reminders(at("2026-11-21 09:00"))  # one missed
    assert not Alert.objects.exists()
    reminders.write_due_checkin_reminders(at("2026-11-22 09:00"))  # two missed
    alert = Alert.objects.get()
    assert alert.rule == "missed_checkins" and "2 check-in reminders" in alert.reason
    assert Notification.objects.filter(kind="alert", recipient_user=counselor).exists()
    plan.refresh_from_db()
    assert plan.missed_in_a_row == 2


def test_an_answer_between_reminders_resets_the_missed_count(centre, no_broker):
    plan = make_plan(centre, due=at("2026-11-20 09:00"))
    reminders.write_due_checkin_reminders(at("2026-11-20 09:00"))
    reminders.write_due_checkin_reminders(at("2026-11-21 09:00"))
    CheckIn.objects.create(resident=plan.resident, at=at("2026-11-21 10:00"), mood=4, source="link")
    reminders.write_due_checkin_reminders(at("2026-11-22 09:00"))
    plan.refresh_from_db()
    assert plan.missed_in_a_row == 0 and not Alert.objects.exists()


@pytest.mark.parametrize("n", [1, 40])
def test_the_claim_costs_the_same_few_queries_for_any_batch(
    centre, no_broker, django_assert_max_num_queries, n
):
    for _ in range(n):
        make_plan(centre, due=at("2026-11-22 09:00"))
    with django_assert_max_num_queries(12):
        assert reminders.write_due_checkin_reminders(at("2026-11-22 09:00")) == n
