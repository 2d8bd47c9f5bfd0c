"""Sections this app adds to core pages (registered in GroupsConfig.ready)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kendra import access
from kendra.models import Role

from . import access as group_access
from .models import Attendance, Kind, Session, local_day_bounds
from .stats import resident_rate


def resident_attendance(request, resident):
    """Attendance history and rate on the resident page. Never notes."""
    if not access.can(request.user, "attendance.view", resident.centre_id):
        return None
    rate, marked = resident_rate(resident)
    history = list(
        Attendance.objects.filter(resident=resident, session__status=Session.Status.HELD)
        .order_by("-session__start")
        .values("session_id", "session__start", "session__group__name", "status", "walk_in")[:15]
    )
    # Prepared once per panel, so the rows only print: the session's address, the label.
    prefix = reverse("groups:session", args=[0]).rsplit("/0/", 1)[0]
    labels = {value: str(label) for value, label in Attendance.Status.choices}
    for row in history:
        row["url"] = f"{prefix}/{row['session_id']}/"
        row["status_label"] = labels.get(row["status"], row["status"])
    return {"rate": rate, "marked": marked, "history": history}


def with_links(sessions):
    """The sessions as a list, each with what groups/_session_rows.html prints prepared
    once per list, not per row: its address, its log's address and label, its status."""
    sessions = list(sessions)
    prefix = reverse("groups:session", args=[0]).rsplit("/0/", 1)[0]
    labels = {value: str(label) for value, label in Session.Status.choices}
    log_label = _("Log %(name)s")
    for s in sessions:
        s.url = f"{prefix}/{s.pk}/"
        s.log_url = f"{prefix}/{s.pk}/log/"
        s.status_label = labels.get(s.status, s.status)
        s.log_label = log_label % {"name": s.group.name}
        s.may_log = True  # narrowed by the page for a peer leader (group therapy)
    return sessions


def todays_sessions(request):
    """On the home page: the sessions the user leads today, one tap to the log — a
    counselor's own, a peer leader's circles and activities (co-led or stood in for)."""
    user = request.user
    if not access.can(user, "attendance.log"):
        return None
    start, end = local_day_bounds(timezone.localdate())
    peer_led = Q(group__co_leader=user) | Q(stand_in=user)
    sessions = (
        group_access.sessions_for(user)
        .filter(Q(facilitator=user) | (peer_led & ~Q(group__kind=Kind.THERAPY)))
        .filter(start__gte=start, start__lt=end)
        .select_related("group")
        .order_by("start")
    )
    peer = access.has_role(user, Role.PEER_LEADER) and not access.has_role(user, Role.COUNSELOR)
    return {"sessions": with_links(sessions), "circles": peer}
