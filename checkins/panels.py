"""Sections this app adds to the home page and the resident page."""

from django.db.models import Count, Exists, OuterRef, Window
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
        first, counts = not_yet_today(access.residents_for(user, "checkins.view"))
        context.update({"missing": first, "missing_count": counts["not_yet"], "counts": counts})
        context["can_record"] = access.can(user, "checkins.record")
    return context


def not_yet_today(residents):
    """(the first admitted residents with no check-in today, the counts of every admitted
    resident, with a phone or not: checked in today in the circle, by the personal link
    or a mentor's call, not yet), in one query: the counts are window totals on the rows."""
    answered = CheckIn.objects.filter(resident=OuterRef("pk"), for_date=timezone.localdate())
    in_circle = Exists(answered.filter(source=CheckIn.Source.CIRCLE))
    rows = list(
        residents.admitted()
        .annotate(
            done=Exists(answered),
            total=Window(Count("pk")),
            circle=Window(Count("pk", filter=in_circle)),
            answered=Window(Count("pk", filter=Exists(answered))),
        )
        .order_by("done", "full_name", "pk")[:SHOWN]
    )
    first = rows[0] if rows else None
    total = first.total if first else 0
    circle, answered_n = (first.circle, first.answered) if first else (0, 0)
    counts = {
        "total": total,
        "circle": circle,
        "link": answered_n - circle,
        "not_yet": total - answered_n,
    }
    return [r for r in rows if not r.done], counts


def resident(request, resident: Resident):
    if not access.can(request.user, "checkins.view", resident.centre_id):
        return None
    return {
        "recent": list(CheckIn.objects.filter(resident=resident).order_by("-at")[:5]),
        "plan": ReminderPlan.objects.filter(resident=resident).first(),
        "can_plan": access.can(request.user, "reminders.manage", resident.centre_id),
        "resident": resident,
    }
