"""The check-in reminder source, run by the beat tick (kendra.notify.tasks.tick).

DESIGN.md data flow 2: claim due plans with SELECT … FOR UPDATE SKIP LOCKED (so two
ticks at once never take the same plan), write one outbox row per plan (slot = the due
time, so a repeat writes nothing), move next_due_at on, commit; the sends are queued
after the commit. Set-based: a handful of queries per batch, whatever its size.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kendra.bulk import update_rows
from kendra.notify.outbox import enqueue_many

from . import rules, schedule
from .models import CheckIn, CheckinDefaults, ReminderPlan

log = logging.getLogger(__name__)

BATCH = 2000


def site_url():
    return settings.SITE_URL


def slot_for(due):
    return f"checkin-{timezone.localtime(due):%Y-%m-%dT%H:%M}"


def due_plans(now):
    return ReminderPlan.objects.filter(
        paused=False, next_due_at__isnull=False, next_due_at__lte=now
    ).order_by("next_due_at")


def write_due_checkin_reminders(now):
    """Beat source: every due plan gets one message for its slot. Returns how many."""
    written = 0
    while True:
        with transaction.atomic():
            plans = list(
                due_plans(now)
                .select_related("resident", "centre")
                .select_for_update(skip_locked=True, of=("self",))[:BATCH]
            )
            if not plans:
                break
            written += _process(plans, now)
        if len(plans) < BATCH:
            break
    return written


def _answered_since(plans):
    """{resident_id: latest check-in time} for the residents whose last slot is known."""
    since = [p.last_due_at for p in plans if p.last_due_at]
    if not since:
        return {}
    return dict(
        CheckIn.objects.filter(
            resident_id__in=[p.resident_id for p in plans if p.last_due_at], at__gte=min(since)
        )
        .values("resident_id")
        .annotate(latest=Max("at"))
        .values_list("resident_id", "latest")
    )


def _advance(plans):
    """Write every plan's new times in one statement (bulk_update's CASE per column grows
    quadratic-ish with the batch)."""
    update_rows(
        ReminderPlan, plans, ["next_due_at", "last_due_at", "missed_in_a_row", "updated_at"]
    )


def _process(plans, now):
    defaults = {
        d.centre_id: d
        for d in CheckinDefaults.objects.filter(centre_id__in={p.centre_id for p in plans})
    }
    answered = _answered_since(plans)
    base = site_url()
    messages, missed, admitted = [], [], []
    for plan in plans:
        plan.updated_at = now
        centre_defaults = defaults.get(plan.centre_id) or CheckinDefaults(centre_id=plan.centre_id)
        if schedule.in_quiet_hours(plan, now):
            # A late tick (worker was down) never wakes anyone: wait for the quiet to end.
            plan.next_due_at = schedule.end_of_quiet(plan, now)
            continue
        due = plan.next_due_at
        if plan.last_due_at:
            latest = answered.get(plan.resident_id)
            if latest and latest >= plan.last_due_at:
                plan.missed_in_a_row = 0
            else:
                plan.missed_in_a_row += 1
                if plan.missed_in_a_row >= 2:
                    missed.append(plan)
        day = timezone.localtime(due).date()
        link = base + plan.link(day)
        messages.append(
            {
                "slot": slot_for(due),
                "resident": plan.resident,
                "channel": plan.channel,
                "centre": plan.centre,
                "link": link,
                "context": {"link": link, "name": plan.resident.display_name, "day": day},
            }
        )
        if plan.resident.is_admitted:
            admitted.append(plan.resident)
        plan.last_due_at = due
        plan.next_due_at = schedule.next_due(plan, max(now, due), centre_defaults)
    written, skipped = enqueue_many(messages, kind="checkin")
    for m in skipped:
        log.warning(
            "check-in reminder for %s skipped: no address on %s", m["resident"], m["channel"]
        )
    _advance(plans)
    for plan in missed:
        rules.check_missed(plan, now)
    rules.check_attendance_many(admitted, now)
    return written
