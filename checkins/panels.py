"""Sections this app adds to the home page and the resident page."""

from django.db.models import Count, Window
from django.utils import timezone

from kendra import access
from kendra.models import Resident

from . import access as checkin_access
from .models import CheckIn, ReminderPlan

SHOWN = 8


def home(request):
    """Open alerts first, then residents with no check-in today (counselors)."""
    user = request.user
    if not access.can(user, "alerts.handle"):
        return None
    alerts = list(
        checkin_access.visible_alerts(user)
        .open()
        .select_related("resident")
        .order_by("-raised_at")[: SHOWN + 1]
    )
    context = {"alerts": alerts[:SHOWN], "more_alerts": len(alerts) > SHOWN}
    if access.can(user, "checkins.view"):
        missing = (
            access.residents_for(user, "checkins.view")
            .admitted()
            .exclude(checkins__for_date=timezone.localdate())
            .order_by("full_name")
        )
        # The total in the same query as the first names (a window count, before the limit).
        names = list(missing.annotate(total=Window(Count("pk")))[: SHOWN + 1])
        context.update({"missing": names[:SHOWN], "missing_count": names[0].total if names else 0})
        context["can_record"] = access.can(user, "checkins.record")
    return context


def resident(request, resident: Resident):
    if not access.can(request.user, "checkins.view", resident.centre_id):
        return None
    return {
        "recent": list(CheckIn.objects.filter(resident=resident).order_by("-at")[:5]),
        "plan": ReminderPlan.objects.filter(resident=resident).first(),
        "can_plan": access.can(request.user, "reminders.manage", resident.centre_id),
        "resident": resident,
    }
