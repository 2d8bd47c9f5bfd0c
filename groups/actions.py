"""State changes for groups and sessions. Views stay thin; every change is audited."""

import datetime as dt
from typing import NamedTuple

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kendra import audit, history
from kendra.stays import fill_stays

from .models import Addendum, Attendance, Frequency, GroupMember, PeerGroup, Session, members_on

GENERATE_DAYS = 14


class SessionLocked(Exception):
    """The session is signed (notes read-only) or cannot be logged yet; the message says why."""


def generate_sessions(group=None, today=None, days=GENERATE_DAYS):
    """Planned sessions for the next `days` days from each active group's schedule.

    Idempotent: (group, start) is unique, so an existing session — even a cancelled one —
    is never made again. Times are the centre's local time (Asia/Kolkata).
    """
    tz = timezone.get_current_timezone()
    today = today or timezone.localdate()
    groups = PeerGroup.objects.active().exclude(frequency=Frequency.NONE)
    groups = groups.exclude(start_time__isnull=True)
    if group is not None:
        groups = groups.filter(pk=group.pk)
    with transaction.atomic():
        # The groups locked, so two runs at once (a doubled beat) make each session once.
        groups = list(groups.select_for_update())
        new = _planned_sessions(groups, today, days, tz)
        starts = {s.start for s in new}
        taken = set(
            Session.objects.filter(group__in=groups, start__in=starts).values_list(
                "group_id", "start"
            )
        )
        # A session moved away (schedules that move, groups/replan.py) holds its old slot.
        taken |= set(
            Session.objects.filter(group__in=groups, moved_from__in=starts).values_list(
                "group_id", "moved_from"
            )
        )
        new = [s for s in new if (s.group_id, s.start) not in taken]
        bulk_create_with_history(new, Session, batch_size=500)  # each with its first version
    return len(new)


def _planned_sessions(groups, today, days, tz):
    new = []
    for g in groups:
        for offset in range(days):
            day = today + dt.timedelta(days=offset)
            if not g.meets_on(day):
                continue
            start = timezone.make_aware(dt.datetime.combine(day, g.start_time), tz)
            new.append(
                Session(
                    group=g,
                    centre_id=g.centre_id,
                    start=start,
                    end=start + dt.timedelta(minutes=g.duration_minutes),
                    facilitator_id=g.facilitator_id,
                    room=g.room,
                    generated=True,
                )
            )
    return new


@transaction.atomic
def save_group(form, by):
    created = form.instance.pk is None
    group = form.save()
    audit.record(by, "group.created" if created else "group.changed", group)
    return group


@transaction.atomic
def archive_group(group, by):
    group.is_archived = True
    group.save(update_fields=["is_archived"])
    future = group.sessions.filter(status=Session.Status.PLANNED, start__gt=timezone.now())
    cancelled = {"status": Session.Status.CANCELLED, "cancel_reason": _("The group was archived.")}
    history.update(future, by, **cancelled)
    audit.record(by, "group.archived", group)


@transaction.atomic
def add_member(group, resident, joined_on, by):
    member = GroupMember.objects.create(group=group, resident=resident, joined_on=joined_on)
    audit.record(by, "group.member_added", group, resident=resident)
    return member


@transaction.atomic
def remove_member(member, by, on=None):
    member.left_on = on or timezone.localdate()
    member.save(update_fields=["left_on"])
    audit.record(by, "group.member_left", member.group, resident=member.resident)


def leave_groups_on_discharge(sender, resident, by, **kwargs):
    today = timezone.localdate()
    GroupMember.objects.filter(resident=resident, left_on__isnull=True).update(
        left_on=max(today, resident.discharge_date or today)
    )


@transaction.atomic
def save_session_lead(form, by):
    """A session's stand-in peer leader and online link."""
    session = form.save(commit=False)
    session._history_user = by
    session.save(update_fields=["stand_in", "meeting_link"])
    audit.record(by, "session.lead_changed", session)
    return session


@transaction.atomic
def create_session(form, group, by):
    session = form.save(commit=False)
    session.group = group
    session.centre_id = group.centre_id
    session.save()
    audit.record(by, "session.created", session)
    return session


def _lock(session):
    return Session.objects.select_for_update().get(pk=session.pk)


def _check_loggable(current):
    if current.is_signed:
        raise SessionLocked(
            _("This session is signed. Notes are read-only now; add an addendum instead.")
        )
    if current.status == Session.Status.CANCELLED:
        raise SessionLocked(_("This session was cancelled, so it cannot be logged."))
    if not current.has_started():
        raise SessionLocked(
            _("This session has not started yet. You can log it once it has begun.")
        )


LOG_FIELDS = ("status", "participation", "mood", "note")
UPDATED_FIELDS = (*LOG_FIELDS, "updated_at")


class SavedLog(NamedTuple):
    """What is saved of a session's log: the roster's resident ids (the members on the
    session's day and anyone already marked, walk-ins and people who left since) and the
    saved marks {resident_id: {pk, walk_in, status, participation, mood, note}}."""

    roster_ids: list
    marks: dict


_MARK = ("pk", "walk_in", *LOG_FIELDS)


def saved_log(session):
    """SavedLog of the session: its marks, then its members on the day (two queries that
    load no residents)."""
    marks = (
        Attendance.objects.filter(session_id=session.pk).order_by().values("resident_id", *_MARK)
    )
    found = {mark.pop("resident_id"): mark for mark in marks}
    members = members_on(session.group_id, session.local_date).order_by()
    ids = found.keys() | set(members.values_list("resident_id", flat=True))
    return SavedLog(sorted(ids), found)


def _attendance_changes(session, marks, rows, walk_in, now):
    """(new rows, changed rows) of the posted roster against the saved `marks`: Attendance
    objects complete enough for their history rows. Unchanged rows are left out."""
    to_create, to_update = [], []
    for row in rows:
        old = marks.get(row["resident_id"])
        values = {name: row.get(name) for name in LOG_FIELDS}
        if values["note"] is None:  # notes not editable here: keep the saved one
            values["note"] = old["note"] if old else ""
        if old is None:
            to_create.append(
                Attendance(
                    session=session,  # (its day picks the stay: kendra.stays.fill_stays)
                    resident_id=row["resident_id"],
                    walk_in=row.get("walk_in", False),
                    **values,
                )
            )
        elif any(old[name] != values[name] for name in LOG_FIELDS):
            to_update.append(
                Attendance(
                    pk=old["pk"],
                    session_id=session.pk,
                    resident_id=row["resident_id"],
                    walk_in=old["walk_in"],
                    updated_at=now,
                    **values,
                )
            )
    if walk_in is not None and walk_in.pk not in marks:
        to_create.append(Attendance(session=session, resident=walk_in, walk_in=True))
    return to_create, to_update


def save_log(session, rows, group_note, by, walk_in=None, sign=False, saved=None):
    """The whole session log at once (one transaction): attendance, notes, walk-in, maybe sign.
    Returns True if anything was saved, False if the log already said all of it.

    `rows` are cleaned dicts from RosterForm (resident_id, status, participation, mood,
    note — note is None when the user may not write notes, so it is left as it was).
    `saved` is saved_log(session), if the caller has read it (the view checks the form
    against it).

    The form posts the whole roster, but usually only a few rows change: only those are
    written, each with a history row by `by` (the previous version stays readable). A log
    posted again unchanged writes nothing but its audit event. Otherwise the session is
    locked; if its attendance was written since `saved` was read (marks_version), the
    roster is compared again before anything is written.
    """
    saved = saved or saved_log(session)
    _check_loggable(session)
    now = timezone.now()
    to_create, to_update = _attendance_changes(session, saved.marks, rows, walk_in, now)
    if _session_says_it(session, group_note, sign) and not (to_create or to_update):
        audit.record(by, "session.logged", session, detail=f"{len(rows)} on roster, no change")
        return False
    with transaction.atomic():
        # Audited first (rolled back with everything else if the session cannot be
        # logged), so the session stays locked for less time.
        audit.record(by, "session.logged", session, detail=f"{len(rows)} on roster")
        if walk_in is not None:
            audit.record(by, "session.walk_in", session, resident=walk_in)
        if sign:
            audit.record(by, "session.signed", session)
        current = _lock(session)
        _check_loggable(current)
        if current.marks_version != session.marks_version:
            saved = saved_log(current)
            to_create, to_update = _attendance_changes(current, saved.marks, rows, walk_in, now)
        _save_session(current, group_note, by, now, sign)
        by_whom = {"default_user": by, "default_date": now}
        if to_create:
            bulk_create_with_history(fill_stays(to_create), Attendance, **by_whom)
        if to_update:
            bulk_update_with_history(to_update, Attendance, UPDATED_FIELDS, **by_whom)
    return True


def _session_says_it(session, group_note, sign):
    """Does the session already say what this save says of it: held, this group note (None:
    not the user's to write), and no signing?"""
    return (
        session.status == Session.Status.HELD
        and (group_note is None or group_note == session.group_note)
        and not sign
    )


def _save_session(current, group_note, by, now, sign):
    """The session's part of a save, once it is locked: logged now by `by`, its marks
    moved on, and what the save says of it; saved with its history row."""
    current.logged_at, current.logged_by = now, by
    current.marks_version += 1
    current.status = Session.Status.HELD
    if group_note is not None:
        current.group_note = group_note
    fields = ["status", "group_note", "logged_at", "logged_by", "marks_version"]
    if sign:
        current.signed_at, current.signed_by = now, by
        fields += ["signed_at", "signed_by"]
    current._history_user, current._history_date = by, now
    current.save(update_fields=fields)


@transaction.atomic
def mark_one(session, resident_id, status, by):
    """The quick toggle: one resident's attendance, saved at once."""
    current = _lock(session)
    _check_loggable(current)
    att, _created = Attendance.objects.update_or_create(
        session=current, resident_id=resident_id, defaults={"status": status}
    )
    history.update(Session.objects.filter(pk=current.pk), by, marks_version=F("marks_version") + 1)
    return att


@transaction.atomic
def sign_session(session, by):
    current = _lock(session)
    if current.is_signed:
        raise SessionLocked(_("This session is already signed."))
    if current.status != Session.Status.HELD:
        raise SessionLocked(_("Save the attendance first: only a held session can be signed."))
    current.signed_at = timezone.now()
    current.signed_by = by
    current.save(update_fields=["signed_at", "signed_by"])
    audit.record(by, "session.signed", current)
    return current


@transaction.atomic
def cosign_session(session, by):
    """A counselor's second signature on a signed session (one a peer leader signed)."""
    current = _lock(session)
    if not current.is_signed:
        raise SessionLocked(_("Only a signed session can be co-signed."))
    if current.cosigned_at is not None:
        raise SessionLocked(_("This session is already co-signed."))
    if current.signed_by_id == by.pk:
        raise SessionLocked(_("You signed this session; someone else co-signs it."))
    current.cosigned_at, current.cosigned_by = timezone.now(), by
    current._history_user = by
    current.save(update_fields=["cosigned_at", "cosigned_by"])
    audit.record(by, "session.cosigned", current)
    return current


@transaction.atomic
def add_addendum(session, text, resident, by):
    current = _lock(session)
    if not current.is_signed:
        raise SessionLocked(_("Addenda are for signed sessions. Edit the notes directly."))
    addendum = Addendum.objects.create(session=current, resident=resident, text=text, written_by=by)
    audit.record(by, "session.addendum", current, resident=resident)
    return addendum


@transaction.atomic
def cancel_session(session, reason, by):
    current = _lock(session)
    if current.status != Session.Status.PLANNED:
        raise SessionLocked(_("Only a planned session can be cancelled; this one was logged."))
    current.status = Session.Status.CANCELLED
    current.cancel_reason = reason
    current.save(update_fields=["status", "cancel_reason"])
    audit.record(by, "session.cancelled", current, detail=reason)
    return current
