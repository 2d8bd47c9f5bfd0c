"""Sections this app adds to core pages (registered in GroupsConfig.ready)."""

from django.utils import timezone

from kendra import access

from . import access as group_access
from .models import Attendance, Session, local_day_bounds
from .stats import resident_rate


def resident_attendance(request, resident):
    """Attendance history and rate on the resident page. Never notes."""
    if not access.can(request.user, "attendance.view", resident.centre_id):
        return None
    rate, marked = resident_rate(resident)
    history = (
        Attendance.objects.filter(resident=resident, session__status=Session.Status.HELD)
        .select_related("session__group")
        .order_by("-session__start")[:15]
    )
    return {"rate": rate, "marked": marked, "history": history}


def todays_sessions(request):
    """On the home page: the counselor's own sessions today, one tap to the log."""
    user = request.user
    if not access.can(user, "attendance.log"):
        return None
    start, end = local_day_bounds(timezone.localdate())
    sessions = (
        group_access.sessions_for(user)
        .filter(facilitator=user, start__gte=start, start__lt=end)
        .select_related("group")
        .order_by("start")
    )
    return {"sessions": list(sessions)}
