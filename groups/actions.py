"""State changes for groups and sessions. Views stay thin; every change is audited."""

import datetime as dt
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from kendra import audit
from kendra import cache as panel_cache
from kendra.bulk import Claim, update_rows, write_if_claimed

from .models import Addendum, Attendance, Frequency, GroupMember, PeerGroup, Session

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
    existing = Session.objects.filter(group__in=groups)
    before = existing.count()
    Session.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    panel_cache.bump(*{s.centre_id for s in new})
    return existing.count() - before


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
    future.update(status=Session.Status.CANCELLED, cancel_reason=_("The group was archived."))
    panel_cache.bump(group.centre_id)
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


# The session's marks, then its members on the day (with no mark), in one statement:
# written out because the ORM spends more compiling this union than the database spends
# running it, and it is read on every save of the log. (members_on says the same.)
SAVED_LOG_SQL = """
    SELECT resident_id, id, walk_in, status, participation, mood, note
      FROM groups_attendance WHERE session_id = %(session)s
    UNION ALL
    SELECT resident_id, NULL, false, NULL, NULL, NULL, NULL
      FROM groups_groupmember
     WHERE group_id = %(group)s AND joined_on <= %(day)s
       AND (left_on IS NULL OR left_on >= %(day)s)
"""


def saved_log(session):
    """SavedLog of the session, in one query that loads no residents."""
    day = session.local_date
    with connection.cursor() as cursor:
        cursor.execute(
            SAVED_LOG_SQL, {"session": session.pk, "group": session.group_id, "day": day}
        )
        found, ids = {}, set()
        for resident_id, *values in cursor.fetchall():
            ids.add(resident_id)
            if values[0] is not None:
                found[resident_id] = dict(zip(_MARK, values, strict=True))
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
                    session_id=session.pk,
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
        to_create.append(Attendance(session_id=session.pk, resident=walk_in, walk_in=True))
    return to_create, to_update


def save_log(session, rows, group_note, by, walk_in=None, sign=False, saved=None):
    """The whole session log at once (one transaction): attendance, notes, walk-in, maybe sign.
    Returns True if anything was saved, False if the log already said all of it.

    `rows` are cleaned dicts from RosterForm (resident_id, status, participation, mood,
    note — note is None when the user may not write notes, so it is left as it was).
    `saved` is saved_log(session), if the caller has read it (the view checks the form
    against it).

    The form posts the whole roster, but usually only a few rows change: only those are
    written, each with a history row (the previous version stays readable). A log posted
    again unchanged writes nothing but its audit event — no lock, no duplicate history,
    and the centre's cached pages stay valid; a writer that commits meanwhile simply saved
    after it. A save of changed marks alone claims the session (held, unsigned, its marks
    unwritten since `saved` was read: marks_version) and writes the marks, their history
    and the audit event in the claim's statement. Otherwise, or if the claim fails, the
    session is locked; if its attendance was written since `saved` was read, it is
    compared again before anything is written.
    """
    saved = saved or saved_log(session)
    _check_loggable(session)
    now = timezone.now()
    to_create, to_update = _attendance_changes(session, saved.marks, rows, walk_in, now)
    says_it = _session_says_it(session, group_note, sign)
    if says_it and not (to_create or to_update):
        audit.record(by, "session.logged", session, detail=f"{len(rows)} on roster, no change")
        return False
    detail = f"{len(rows)} on roster"
    try_claim = says_it
    if says_it and walk_in is None and not to_create:
        # Changed marks alone, the usual save: the claim, the audit event, the marks and
        # their history rows in one statement, written only if the claim holds.
        logged = audit.unsaved(by, "session.logged", session, detail=detail)
        update = (Attendance, to_update, UPDATED_FIELDS)
        if write_if_claimed(_claim_of(session, by, now), [logged], update, history=(by, now)):
            panel_cache.bump(session.centre_id)  # one statement, no signals
            return True
        try_claim = False  # the session moved on since it was read: lock it, look again
    with transaction.atomic():
        # Audited first (rolled back with everything else if the session cannot be
        # logged), so the session stays locked for less time.
        audit.record(by, "session.logged", session, detail=detail)
        if walk_in is not None:
            audit.record(by, "session.walk_in", session, resident=walk_in)
        if sign:
            audit.record(by, "session.signed", session)
        if not (try_claim and _claim(session, by, now)):
            current = _lock(session)
            _check_loggable(current)
            if current.marks_version != session.marks_version:
                saved = saved_log(current)
                to_create, to_update = _attendance_changes(current, saved.marks, rows, walk_in, now)
            _save_session(current, group_note, by, now, sign)
        history = {"default_user": by, "default_date": now}
        if to_create:
            bulk_create_with_history(to_create, Attendance, **history)
        if to_update:
            update_rows(Attendance, to_update, UPDATED_FIELDS, history=(by, now))
    return True


def _session_says_it(session, group_note, sign):
    """Does the session already say what this save says of it: held, this group note (None:
    not the user's to write), and no signing?"""
    return (
        session.status == Session.Status.HELD
        and (group_note is None or group_note == session.group_note)
        and not sign
    )


def _claim(session, by, now):
    """A save of the marks alone: move the session's logged time and version on, if it is
    still held, unsigned, and its marks unwritten since they were read (its version).
    One UPDATE, which also locks it; False if the session has moved on (then lock it, look
    again). No session history: what the session says has not changed."""
    claimed = _claim_of(session, by, now).update()
    if claimed:
        panel_cache.bump(session.centre_id)  # update() and the bulk writes send no signals
    return bool(claimed)


def _claim_of(session, by, now):
    """The claim of a marks-only save: the session, if it is still held, unsigned, and its
    marks unwritten since they were read, is logged now by `by`; its marks_version moves on."""
    return Claim(
        Session,
        session.pk,
        where={
            "marks_version": session.marks_version,
            "status": Session.Status.HELD,
            "signed_at": None,
        },
        values={"logged_at": now, "logged_by_id": by.pk},
        count="marks_version",
    )


def _save_session(current, group_note, by, now, sign):
    """The session's part of a save, once it is locked: a new version of the session in
    its history only if what it says changed."""
    if _session_says_it(current, group_note, sign):
        _claim(current, by, now)  # locked and just read: it is current
        return
    current.logged_at, current.logged_by = now, by
    current.marks_version += 1
    current.status = Session.Status.HELD
    if group_note is not None:
        current.group_note = group_note
    fields = ["status", "group_note", "logged_at", "logged_by", "marks_version"]
    if sign:
        current.signed_at, current.signed_by = now, by
        fields += ["signed_at", "signed_by"]
    current.save(update_fields=fields)  # with its history row; its signal bumps the pages


@transaction.atomic
def mark_one(session, resident_id, status, by):
    """The quick toggle: one resident's attendance, saved at once."""
    current = _lock(session)
    _check_loggable(current)
    att, _created = Attendance.objects.update_or_create(
        session=current, resident_id=resident_id, defaults={"status": status}
    )
    Session.objects.filter(pk=current.pk).update(marks_version=F("marks_version") + 1)
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
