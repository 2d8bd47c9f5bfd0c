"""The check-in reminder source, run by the beat tick (kendra.notify.tasks.tick).

docs/ARCHITECTURE.md, data flow "From a plan to a sent message": claim due plans with SELECT … FOR UPDATE SKIP LOCKED (so two
ticks at once never take the same plan), write one outbox row per plan (slot = the due
time, so a repeat writes nothing), move next_due_at on, commit; the sends are queued
after the commit. Set-based: a handful of queries per batch, whatever its size.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kendra.notify import fill, problems
from kendra.notify.models import Notification
from kendra.notify.outbox import dedupe_key, enqueue_many

from . import rules, schedule
from .models import CheckIn, CheckinDefaults, CheckinLink, ReminderPlan

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
    """Beat source: every due plan gets one message for its slot. Returns how many.

    A plan whose processing raises is left out (its error recorded where staff see it,
    kendra.notify.problems) and the rest of its batch is written; it is not claimed again
    by this tick."""
    written, poisoned = 0, set()
    while True:
        with transaction.atomic():
            plans = list(
                due_plans(now)
                .exclude(pk__in=poisoned)
                .select_related("resident", "centre")
                .select_for_update(skip_locked=True, of=("self",))[:BATCH]
            )
            if not plans:
                break
            written += _process(plans, now, poisoned)
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


def _undelivered_slots(plans):
    """Plans whose last reminder never reached the person (not written for want of an
    address, cancelled, failed or expired): not answering it is not a missed check-in."""
    keys = {
        dedupe_key("checkin", slot_for(p.last_due_at), p.channel, resident=p.resident): p.pk
        for p in plans
        if p.last_due_at
    }
    if not keys:
        return set()
    reached = Notification.objects.filter(dedupe_key__in=keys).exclude(
        status__in=["cancelled", "failed", "expired"]
    )
    return set(keys.values()) - {keys[k] for k in reached.values_list("dedupe_key", flat=True)}


def _advance(plans):
    """Write every plan's new times, only the tick's own fields (a plan form saved at the
    same moment keeps its fields, and the form never writes these: forms.ReminderPlanForm).

    Through the ORM: bulk_update, except that plans moving to the very same new times (a
    fan-out: everyone due at 09:00 moves to 09:00 tomorrow) are written by one UPDATE per
    such group. bulk_update's CASE/WHEN costs about 0.5 ms of Python a plan and field, 40 s
    for 20,000 plans; a group's update() costs one statement. ReminderPlan has no history
    for either to skip."""
    groups = defaultdict(list)
    for plan in plans:
        groups[tuple(getattr(plan, f) for f in TICK_FIELDS)].append(plan)
    rest = []
    for values, group in groups.items():
        if len(group) < GROUP_UPDATE:
            rest += group
            continue
        ReminderPlan.objects.filter(pk__in=[p.pk for p in group]).update(
            **dict(zip(TICK_FIELDS, values, strict=True))
        )
    ReminderPlan.objects.bulk_update(rest, TICK_FIELDS, batch_size=500)


GROUP_UPDATE = 20  # plans with the same new times written by one UPDATE from this many
TICK_FIELDS = ["next_due_at", "last_due_at", "missed_in_a_row", "updated_at"]


def _expiry(due, next_due):
    """The end of a check-in reminder's answer window: the end of its day (the question
    is "how are you feeling today?"), or the next reminder if that comes first."""
    day_end = timezone.make_aware(
        dt.datetime.combine(timezone.localtime(due).date() + dt.timedelta(days=1), dt.time())
    )
    return min(day_end, next_due) if next_due else day_end


def _plan_message(plan, now, ctx):
    """One plan's step: its message (or None in quiet hours) and its new times, on `plan`."""
    plan.updated_at = now
    if schedule.in_quiet_hours(plan, now):
        # A late tick (worker was down) never wakes anyone: wait for the quiet to end.
        plan.next_due_at = schedule.end_of_quiet(plan, now)
        return None
    due = plan.next_due_at
    if plan.last_due_at and plan.pk not in ctx["undelivered"]:
        latest = ctx["answered"].get(plan.resident_id)
        if latest and latest >= plan.last_due_at:
            plan.missed_in_a_row = 0
        else:
            plan.missed_in_a_row += 1
    centre_defaults = ctx["defaults"].get(plan.centre_id) or CheckinDefaults(
        centre_id=plan.centre_id
    )
    day = timezone.localtime(due).date()
    plan.last_due_at = due
    plan.next_due_at = schedule.next_due(plan, max(now, due), centre_defaults)
    return {
        "slot": slot_for(due),
        "resident": plan.resident,
        "channel": plan.channel,
        "centre": plan.centre,
        "expires_at": _expiry(due, plan.next_due_at),
        # The personal link is made at send time (links_for_rows): the row keeps this.
        "context": {"link": fill.LINK, "name": plan.resident.display_name, "day": day},
        "plan": plan,
    }


def _process(plans, now, poisoned):
    ctx = {
        "defaults": {
            d.centre_id: d
            for d in CheckinDefaults.objects.filter(centre_id__in={p.centre_id for p in plans})
        },
        "answered": _answered_since(plans),
        "undelivered": _undelivered_slots(plans),
    }
    messages, good, before = [], [], {}
    for plan in plans:
        before[plan.pk] = {f: getattr(plan, f) for f in TICK_FIELDS}
        try:
            message = _plan_message(plan, now, ctx)
        except Exception as exc:  # noqa: BLE001 - one bad plan never blocks the batch
            _poisoned(plan, exc, poisoned)
            continue
        good.append(plan)
        if message is not None:
            messages.append(message)
    written, skipped = enqueue_many(messages, kind="checkin")
    for m in skipped:
        if "error" in m:  # the recipient's message raised: that plan waits, the rest go
            _poisoned(m["plan"], m["error"], poisoned)
        else:
            log.warning(
                "check-in reminder for %s skipped: no address on %s", m["resident"], m["channel"]
            )
    for plan in plans:
        if plan.pk in poisoned:  # left as it was: due again at the next tick
            for field, value in before[plan.pk].items():
                setattr(plan, field, value)
    good = [p for p in good if p.pk not in poisoned]
    _advance(good)
    problems.resolved("checkin", [p.pk for p in good])
    sent = {m["plan"].pk for m in messages}
    missed = [p for p in good if p.pk in sent and p.missed_in_a_row >= 2]
    for plan in missed:
        rules.check_missed(plan, now)
    admitted = [p.resident for p in good if p.pk in sent and p.resident.is_admitted]
    rules.check_attendance_many(admitted, now)
    return written


def links_for_rows(rows, now=None):
    """Send step (kendra/notify/fill.py): a fresh personal link for each check-in reminder
    about to be sent, {row pk: absolute link}. Two queries for the whole batch: the plans,
    and one INSERT of the links' hashes. Each link opens the page for the day of its slot."""
    plans = dict(
        ReminderPlan.objects.filter(
            resident_id__in={n.recipient_resident_id for n in rows}
        ).values_list("resident_id", "pk")
    )
    rows = [n for n in rows if n.recipient_resident_id in plans]
    tokens = CheckinLink.mint([plans[n.recipient_resident_id] for n in rows], now)
    base = site_url()
    return {
        n.pk: base + ReminderPlan.link(token, _slot_day(n.slot))
        for n, token in zip(rows, tokens, strict=True)
    }


def _slot_day(slot):
    """The day of a slot written by slot_for ("checkin-2026-11-22T09:00"), or None."""
    try:
        return dt.date.fromisoformat(slot.removeprefix("checkin-")[:10])
    except ValueError:
        return None


def _poisoned(plan, exc, poisoned):
    log.exception("check-in plan %s skipped: %s", plan.pk, exc, exc_info=exc)
    poisoned.add(plan.pk)
    problems.record("checkin", plan.pk, plan.centre_id, plan.resident_id, exc)
