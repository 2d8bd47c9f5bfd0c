"""Schedules that move: a group's future sessions re-planned after its schedule changes,
and a one-off move of a single session ("this Thursday only").

The rule. Only *open* sessions move: planned from the schedule, not yet started, never
logged, signed or moved by hand. Every other session stays as it is — a logged session
is never touched, a cancelled one is never brought back. The new schedule's slots over
the planning horizon are matched to the open sessions in order of time: a session whose
time is still a slot stays, the rest move to the free slots, a slot left over gets a new
session and a session left over is cancelled with the reason. (group, start) stays
unique, so nothing is ever on the calendar twice.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from kendra import audit

from .actions import GENERATE_DAYS, SessionLocked, _lock, save_group
from .models import Frequency, PeerGroup, Session


@dataclass
class Replan:
    """What a schedule edit does to the group's sessions: (session, new start) moves,
    new starts to add, sessions to cancel, and the sessions that stay as they were
    although the old schedule made them (logged, signed, or moved by hand)."""

    moves: list = field(default_factory=list)
    adds: list = field(default_factory=list)
    cancels: list = field(default_factory=list)
    kept: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.moves or self.adds or self.cancels)

    def summary(self):
        """ "Moves 6 sessions, cancels 2; 1 already logged stays." in plain words."""
        parts = []
        if self.moves:
            parts.append(
                ngettext("moves %(n)s session", "moves %(n)s sessions", len(self.moves))
                % {"n": len(self.moves)}
            )
        if self.adds:
            parts.append(
                ngettext("adds %(n)s session", "adds %(n)s sessions", len(self.adds))
                % {"n": len(self.adds)}
            )
        if self.cancels:
            parts.append(
                ngettext("cancels %(n)s session", "cancels %(n)s sessions", len(self.cancels))
                % {"n": len(self.cancels)}
            )
        text = ", ".join(parts) or _("changes no session")
        text = text[0].upper() + text[1:]
        if self.kept:
            stays = ngettext(
                "%(n)s already logged stays", "%(n)s already logged stay", len(self.kept)
            ) % {"n": len(self.kept)}
            return f"{text}; {stays}."
        return f"{text}."


def is_open(session, now):
    """May a schedule edit move this session? Planned by the schedule, in the future,
    never logged or signed, not moved by hand."""
    return (
        session.generated
        and session.status == Session.Status.PLANNED
        and session.logged_at is None
        and session.signed_at is None
        and session.start > now
    )


def _slots(group, first_day, days, now, tz):
    """The starts the group's schedule gives from `first_day` for `days` days, future only."""
    if group.frequency == Frequency.NONE or not group.start_time or group.is_archived:
        return []
    starts = []
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        if group.meets_on(day):
            start = timezone.make_aware(dt.datetime.combine(day, group.start_time), tz)
            if start > now:
                starts.append(start)
    return starts


def plan(group, now=None):
    """The Replan for `group` as it is now (its fields may hold unsaved changes), against
    its sessions in the database from today on. Reads, never writes."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    today = timezone.localtime(now).date()
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time()), tz)
    sessions = list(group.sessions.filter(start__gte=day_start).order_by("start"))
    open_ = [s for s in sessions if is_open(s, now)]
    stay = [s for s in sessions if not is_open(s, now)]
    days = GENERATE_DAYS
    if open_:
        last = timezone.localtime(open_[-1].start).date()
        days = max(days, (last - today).days + 1)
    taken = {s.start for s in stay} | {s.moved_from for s in stay if s.moved_from}
    free = [start for start in _slots(group, today, days, now, tz) if start not in taken]
    length = dt.timedelta(minutes=group.duration_minutes)
    result = Replan(kept=[s for s in stay if s.logged_at or s.signed_at])
    unmatched = []
    for session in open_:
        if session.start in free:  # still a slot: stays, its length may change
            free.remove(session.start)
            if session.end - session.start != length:
                result.moves.append((session, session.start))
        else:
            unmatched.append(session)
    # A free slot is never the start of another session (those are matched or taken).
    paired = min(len(unmatched), len(free))
    result.moves += list(zip(unmatched[:paired], free[:paired], strict=True))
    result.cancels = unmatched[paired:]
    result.adds = free[paired:]
    return result


def apply(group, by, now=None):
    """Re-plan `group`'s sessions to its (saved) schedule, under the group's lock, with
    a history row and an audit event for each session changed. Returns the Replan."""
    now = now or timezone.now()
    with transaction.atomic():
        PeerGroup.objects.select_for_update().get(pk=group.pk)
        result = plan(group, now)
        length = dt.timedelta(minutes=group.duration_minutes)
        for session in result.cancels:
            _cancel(session, _("The group's schedule changed."), by)
        for session, start in result.moves:
            _move(session, start, length, by)
        new = [
            Session(
                group=group,
                centre_id=group.centre_id,
                start=start,
                end=start + length,
                facilitator_id=group.facilitator_id,
                room=group.room,
                generated=True,
            )
            for start in result.adds
        ]
        bulk_create_with_history(new, Session, default_user=by)
        if result:
            audit.record(by, "group.replanned", group, detail=result.summary())
    return result


def save_schedule(form, by):
    """The group form saved and its sessions re-planned, in one transaction."""
    with transaction.atomic():
        group = save_group(form, by)
        return apply(group, by)


def _move(session, start, length, by):
    if start != session.start:
        session.moved_from = session.moved_from or session.start
        session.move_reason = _("The group's schedule changed.")
    session.start, session.end = start, start + length
    session._history_user = by
    session.save(update_fields=["start", "end", "moved_from", "move_reason"])
    audit.record(by, "session.moved", session)


def _cancel(session, reason, by):
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason
    session._history_user = by
    session.save(update_fields=["status", "cancel_reason"])
    audit.record(by, "session.cancelled", session, detail=reason)


def move_once(session, start, end, reason, by):
    """A one-off move of one session ("this Thursday only"): it leaves the schedule's
    re-planning (generated is cleared) and its old start is never planned again."""
    with transaction.atomic():
        current = _lock(session)
        if current.status != Session.Status.PLANNED or current.logged_at or current.signed_at:
            raise SessionLocked(_("This session was logged or cancelled, so it cannot move."))
        if current.start <= timezone.now():
            raise SessionLocked(_("This session has already begun, so it cannot move."))
        if end <= start:
            raise SessionLocked(_("A session must end after it starts."))
        if Session.objects.filter(group_id=current.group_id, start=start).exclude(pk=current.pk):
            raise SessionLocked(_("The group already has a session at that time."))
        current.moved_from = current.moved_from or current.start
        current.start, current.end = start, end
        current.generated = False
        current.move_reason = reason
        current._history_user = by
        current.save(update_fields=["start", "end", "moved_from", "generated", "move_reason"])
        audit.record(by, "session.moved", current, detail=reason)
    return current
