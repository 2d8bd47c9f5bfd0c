"""Who gets a message is decided when it is sent.

verdicts() looks at a batch of claimed rows just before the transport is called and says
which must not go now, and why: past its expiry (expired); a resident discharged (the
reminder was about a stay that ended, or their follow-up is over), who withdrew the
"check-in messages" consent, or whose plan is paused; a member of staff or mentor whose
account or membership at the centre is no longer active (cancelled); a check-in reminder
inside the plan's quiet hours (held until they end, or expired if that is too late).
A handful of queries per batch, whatever its size.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from kendra import providers
from kendra.models import Consent, Membership, Resident

from .models import Notification
from .outbox import expiry_of

Reason = Notification.Reason
CHECKIN_KINDS = frozenset({"checkin"})
# Kinds an app asks to be sent in the daytime only (registered in its AppConfig.ready()
# with daytime_only): a family reminder or an anniversary waits for the morning instead
# of waking someone. Night: from NIGHT_STARTS until NIGHT_ENDS, local time.
DAYTIME_KINDS = set()
NIGHT_STARTS, NIGHT_ENDS = dt.time(21, 0), dt.time(8, 0)


def daytime_only(*kinds):
    DAYTIME_KINDS.update(kinds)


def night_ends(now):
    """When the night's quiet hours end, if `now` is inside them; else None."""
    local = timezone.localtime(now)
    if NIGHT_ENDS <= local.time() < NIGHT_STARTS:
        return None
    day = local.date() + dt.timedelta(days=1 if local.time() >= NIGHT_STARTS else 0)
    return timezone.make_aware(dt.datetime.combine(day, NIGHT_ENDS), local.tzinfo)


@dataclass(frozen=True)
class Verdict:
    action: str  # "expire", "cancel" or "hold"
    reason: str = ""
    until: object = None  # for "hold": when to try again


def verdicts(rows, now=None):
    """{pk: Verdict} for the rows of `rows` that must not be sent now."""
    now = now or timezone.now()
    out = {n.pk: Verdict("expire") for n in rows if now >= expiry_of(n)}
    live = [n for n in rows if n.pk not in out]
    out.update(_residents(live, now))
    out.update(_users([n for n in live if n.pk not in out]))
    until = night_ends(now)
    if until is not None:
        for n in live:
            if n.pk not in out and n.kind in DAYTIME_KINDS and n.channel != "in_app":
                out[n.pk] = Verdict("hold", until=until)
    return out


def _residents(rows, now):
    rows = [n for n in rows if n.recipient_resident_id]
    if not rows:
        return {}
    ids = {n.recipient_resident_id for n in rows}
    plans = providers.reminder_plans(ids)  # check-in plans (checkins app), with residents
    residents = {p.resident_id: p.resident for p in plans.values()}
    missing = ids - residents.keys()
    if missing:
        residents.update(Resident.objects.in_bulk(missing))
    withdrawn = _consent_withdrawn(ids)
    out = {}
    for n in rows:
        resident, plan = residents.get(n.recipient_resident_id), plans.get(n.recipient_resident_id)
        checkin = n.kind in CHECKIN_KINDS
        if n.recipient_resident_id in withdrawn:
            out[n.pk] = Verdict("cancel", Reason.CONSENT_WITHDRAWN)
        elif resident is not None and _discharged_for(n, resident, plan, now):
            out[n.pk] = Verdict("cancel", Reason.DISCHARGED)
        elif checkin and plan is not None and plan.paused:
            out[n.pk] = Verdict("cancel", Reason.PLAN_PAUSED)
        elif (
            checkin and plan is not None and (until := providers.quiet_until(plan, now)) is not None
        ):
            out[n.pk] = Verdict("hold", until=until)
    return out


def _discharged_for(n, resident, plan, now):
    """A resident discharged since the message was written (it was about the stay), or
    whose check-ins after discharge are over."""
    if resident.status != Resident.Status.DISCHARGED:
        return False
    written = timezone.localtime(n.created_at).date()
    if resident.discharge_date and written <= resident.discharge_date:
        return True
    if plan is not None and n.kind in CHECKIN_KINDS:
        return providers.plan_over(plan, timezone.localdate(now))
    return False


def _consent_withdrawn(resident_ids):
    """Residents who withdrew the check-in messages consent and have none in force.
    (Residents never asked have no row: their reminders go as before.)"""
    rows = Consent.objects.filter(
        resident_id__in=resident_ids, purpose=Consent.Purpose.CHECKIN_MESSAGES
    ).values_list("resident_id", "withdrawn_at")
    in_force = {rid for rid, withdrawn in rows if withdrawn is None}
    return {rid for rid, withdrawn in rows if withdrawn is not None} - in_force


def _users(rows):
    rows = [n for n in rows if n.recipient_user_id]
    if not rows:
        return {}
    ids = {n.recipient_user_id for n in rows}
    inactive = set(
        get_user_model().objects.filter(pk__in=ids, is_active=False).values_list("pk", flat=True)
    )
    held = {}  # (user, centre) and (user, None) -> any active membership (there / anywhere)
    for uid, cid, active in Membership.objects.filter(user_id__in=ids).values_list(
        "user_id", "centre_id", "is_active"
    ):
        for where in (cid, None):
            held[uid, where] = held.get((uid, where), False) or active
    out = {}
    for n in rows:
        if n.recipient_user_id in inactive:
            out[n.pk] = Verdict("cancel", Reason.ACCOUNT_INACTIVE)
        elif held.get((n.recipient_user_id, n.centre_id)) is False:
            # Worked at the centre, no longer does (someone never a member there, such as a
            # family member without a membership, is not stopped by this).
            out[n.pk] = Verdict("cancel", Reason.MEMBERSHIP_ENDED)
    return out
