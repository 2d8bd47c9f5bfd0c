"""Sections this app adds to the home page and the resident page."""

import datetime as dt

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Attendance, Session
from kendra import access
from kendra.checkins.models import CheckIn
from kendra.models import Centre, Resident, Role

from . import metrics
from .charts import chart, week_label

SHOWN = 8
MOOD_DAYS = 90


def absent_twice(request):
    """Counselors: admitted residents marked absent at their last two held sessions (2 queries)."""
    user = request.user
    centre_ids = access.centre_ids_for(user, "attendance.log")
    if not centre_ids:
        return None
    last_two = (
        Attendance.objects.filter(
            session__centre_id__in=centre_ids,
            session__status=Session.Status.HELD,
            resident__status=Resident.Status.ADMITTED,
        )
        .annotate(
            n=Window(
                RowNumber(),
                partition_by=[F("resident_id")],
                order_by=[F("session__start").desc(), F("pk").desc()],
            )
        )
        .filter(n__lte=2)
        .values_list("resident_id", "status")
    )
    absences = {}
    for resident_id, status in last_two:
        absences.setdefault(resident_id, []).append(status == Attendance.Status.ABSENT)
    ids = [pk for pk, marks in absences.items() if len(marks) == 2 and all(marks)]
    residents = list(
        access.residents_for(user, "residents.view")
        .filter(pk__in=ids)
        .order_by("full_name")[: SHOWN + 1]
    )
    return {"residents": residents[:SHOWN], "count": len(ids)}


def _admin_centre(user):
    ids = access.centre_ids(user, {Role.CENTRE_ADMIN})
    return Centre.objects.filter(pk=min(ids)).first() if ids else None


def centre_admin(request):
    """Centre admins: five numbers, each with its 12-week trend and a link into the work."""
    centre = _admin_centre(request.user)
    if centre is None:
        return None
    trends = metrics.centre_trends(centre)
    labels = [week_label(w) for w in trends["weeks"]]
    rows = [
        ("occupancy", _("Residents on the roll"), "", reverse("resident_list")),
        ("attendance", _("Attendance rate"), "%", reverse("groups:list")),
        ("checkins", _("Check-in response rate"), "%", reverse("reports:monthly")),
        ("followups", _("Follow-up reach rate"), "%", reverse("alumni:directory")),
        ("alerts", _("Open alerts"), "", reverse("checkins:alerts")),
    ]
    cards = []
    for key, title, unit, link in rows:
        values = trends[key]
        cards.append(
            {
                "title": title,
                "now": values[-1],
                "unit": unit,
                "link": link,
                "chart": chart(
                    f"trend-{key}",
                    title,
                    "line",
                    labels,
                    [(title, values)],
                    unit=unit,
                    suggested_max=100 if unit == "%" else None,
                ),
            }
        )
    return {"centre": centre, "cards": cards}


def resident_mood(request, resident):
    """Mood (1–5) and craving (0–10) from the resident's check-ins over 90 days (1 query)."""
    if not access.can(request.user, "checkins.view", resident.centre_id):
        return None
    since = timezone.now() - dt.timedelta(days=MOOD_DAYS)
    checkins = list(
        CheckIn.objects.filter(resident=resident, at__gte=since)
        .order_by("at")
        .values_list("at", "mood", "craving")
    )
    labels = [week_label(timezone.localtime(at).date()) for at, *_rest in checkins]
    return {
        "resident": resident,
        "chart": chart(
            "resident-mood",
            _("Mood and craving"),
            "line",
            labels,
            [
                (_("Mood (1–5)"), [mood for _at, mood, _c in checkins]),
                (_("Craving (0–10)"), [craving for _at, _m, craving in checkins]),
            ],
            suggested_max=10,
        ),
    }
