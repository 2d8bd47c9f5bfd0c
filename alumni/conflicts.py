"""Conflicts a coordinator should see before and after proposing a visit.

They are flags, not refusals: a coordinator may know better (an alumnus can come to two
things on one day). Proposing with a conflict needs an explicit "propose anyway".
"""

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kendra.models import Weekday

from .models import Visit


def _session_is_cancelled(session):
    status = getattr(session, "status", None)
    if isinstance(status, str) and status.lower() in {"cancelled", "canceled"}:
        return True
    if getattr(session, "cancelled_at", None) is not None:
        return True
    return bool(getattr(session, "is_cancelled", False))


def cancelled_sessions(session_ids):
    """The ids among `session_ids` of group sessions that were cancelled.

    The groups app may not be installed (or not built yet): then nothing is flagged.
    A session id that no longer exists is treated as cancelled.
    """
    session_ids = {sid for sid in session_ids if sid}
    if not session_ids:
        return set()
    try:
        Session = apps.get_model("groups", "Session")
    except LookupError:
        return set()
    found = {s.pk: s for s in Session._default_manager.filter(pk__in=session_ids)}
    return {sid for sid in session_ids if sid not in found or _session_is_cancelled(found[sid])}


def centre_closed_on(centre, day):
    return day.weekday() in {int(d) for d in (centre.closed_weekdays or [])}


def overlapping_visits(alumni_ids, starts_at, ends_at, exclude_pk=None):
    """Open or done visits of any of these alumni that overlap the given time."""
    visits = Visit.objects.filter(
        alumni__in=alumni_ids,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).exclude(status=Visit.Status.CANCELLED)
    if exclude_pk:
        visits = visits.exclude(pk=exclude_pk)
    return visits.distinct()


def conflicts_for(centre, alumni, starts_at, ends_at, session_id=None, exclude_pk=None):
    """Plain-word conflicts for a visit that is being proposed (or already exists)."""
    found = []
    day = timezone.localtime(starts_at).date()
    if centre_closed_on(centre, day):
        found.append(
            _("The centre is closed to visitors on %(day)s.")
            % {"day": Weekday(day.weekday()).label}
        )
    ids = [a.pk for a in alumni]
    clashes = overlapping_visits(ids, starts_at, ends_at, exclude_pk).prefetch_related("alumni")
    names = {a.pk: str(a) for a in alumni}
    for visit in clashes:
        for other in visit.alumni.all():
            if other.pk in names:
                found.append(
                    _("%(name)s already has a visit at that time (%(visit)s).")
                    % {"name": names[other.pk], "visit": visit}
                )
    if session_id and session_id in cancelled_sessions([session_id]):
        found.append(_("The group session this visit joins has been cancelled."))
    return found


def flag_visits(visits):
    """Set `visit.conflicts` (list of words) on each visit of a page, in a fixed few queries.

    The visits must have `alumni` prefetched and `centre` selected.
    """
    visits = list(visits)
    if not visits:
        return visits
    open_visits = [v for v in visits if v.is_open]
    for visit in visits:
        visit.conflicts = []
    if not open_visits:
        return visits
    alumni_ids = {a.pk for v in open_visits for a in v.alumni.all()}
    earliest = min(v.starts_at for v in open_visits)
    latest = max(v.ends_at for v in open_visits)
    through = Visit.alumni.through
    others = (
        through.objects.filter(
            alumniprofile_id__in=alumni_ids,
            visit__starts_at__lt=latest,
            visit__ends_at__gt=earliest,
        )
        .filter(~Q(visit__status=Visit.Status.CANCELLED))
        .values_list("visit_id", "alumniprofile_id", "visit__starts_at", "visit__ends_at")
    )
    bookings = {}
    for visit_id, alumnus_id, starts, ends in others:
        bookings.setdefault(alumnus_id, []).append((visit_id, starts, ends))
    cancelled = cancelled_sessions(v.session_id for v in open_visits)
    for visit in open_visits:
        if centre_closed_on(visit.centre, timezone.localtime(visit.starts_at).date()):
            visit.conflicts.append(_("Centre closed that day"))
        for alumnus in visit.alumni.all():
            if any(
                vid != visit.pk and s < visit.ends_at and e > visit.starts_at
                for vid, s, e in bookings.get(alumnus.pk, [])
            ):
                visit.conflicts.append(_("%(name)s is double-booked") % {"name": alumnus})
        if visit.session_id in cancelled:
            visit.conflicts.append(_("Joined session cancelled"))
    return visits


def session_label(session_id):
    """Words for the joined group session (its group, kind and time), or None."""
    if not session_id:
        return None
    try:
        Session = apps.get_model("groups", "Session")
    except LookupError:
        return None
    session = Session._default_manager.select_related("group").filter(pk=session_id).first()
    if session is None:
        return None
    local = timezone.localtime(session.start)
    return f"{session.group.name} ({session.group.get_kind_display()}) · {local:%d/%m/%Y %H:%M}"
