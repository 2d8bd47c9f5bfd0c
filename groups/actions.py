"""State changes for groups and sessions. Views stay thin; every change is audited."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kendra import audit
from kendra import cache as panel_cache

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


@transaction.atomic
def save_log(session, rows, group_note, by, walk_in=None, sign=False):
    """The whole session log in one transaction: attendance, notes, walk-in, maybe sign.

    `rows` are cleaned dicts from RosterForm (resident_id, status, participation, mood,
    note — note is None when the user may not write notes, so it is left as it was).

    The form posts the whole roster, but usually only a few rows change: only those are
    written (and get a new updated_at). The session itself is always saved and audited.
    """
    # Recorded first, in the same transaction (it is rolled back with everything else if
    # the session cannot be logged), so the session stays locked for less time.
    audit.record(by, "session.logged", session, detail=f"{len(rows)} on roster")
    if walk_in is not None:
        audit.record(by, "session.walk_in", session, resident=walk_in)
    if sign:
        audit.record(by, "session.signed", session)

    current = _lock(session)
    _check_loggable(current)
    saved = current.attendances.order_by().values_list("resident_id", "pk", *LOG_FIELDS)
    existing = {rid: dict(zip(("pk", *LOG_FIELDS), values, strict=True)) for rid, *values in saved}
    now = timezone.now()
    to_create, to_update = [], []
    for row in rows:
        old = existing.get(row["resident_id"])
        values = {name: row[name] for name in LOG_FIELDS}
        if row["note"] is None:  # notes not editable here: keep the saved one
            values["note"] = old["note"] if old else ""
        if old is None:
            to_create.append(
                Attendance(
                    session=current,
                    resident_id=row["resident_id"],
                    walk_in=row.get("walk_in", False),
                    **values,
                )
            )
        elif any(old[name] != values[name] for name in LOG_FIELDS):
            to_update.append(
                Attendance(pk=old["pk"], resident_id=row["resident_id"], updated_at=now, **values)
            )
    if walk_in is not None and walk_in.pk not in existing:
        to_create.append(Attendance(session=current, resident=walk_in, walk_in=True))
    if to_create:
        Attendance.objects.bulk_create(to_create)
    if to_update:
        Attendance.objects.bulk_update(to_update, [*LOG_FIELDS, "updated_at"])
    current.status = Session.Status.HELD
    if group_note is not None:
        current.group_note = group_note
    current.logged_at = now
    current.logged_by = by
    fields = ["status", "group_note", "logged_at", "logged_by"]
    if sign:
        current.signed_at = current.logged_at
        current.signed_by = by
        fields += ["signed_at", "signed_by"]
    current.save(update_fields=fields)
    return current


@transaction.atomic
def mark_one(session, resident, status, by):
    """The quick toggle: one resident's attendance, saved at once."""
    current = _lock(session)
    _check_loggable(current)
    att, _created = Attendance.objects.update_or_create(
        session=current, resident=resident, defaults={"status": status}
    )
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
