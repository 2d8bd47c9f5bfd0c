"""Sections this app adds to the home page and the resident page."""

import datetime as dt

from django.conf import settings
from django.db.models import Avg, Count, F, Window
from django.db.models.functions import RowNumber, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from checkins.models import Alert, CheckIn
from groups.models import Attendance, Session, local_day_bounds
from kendra import access
from kendra.models import Centre, Resident, Role
from kendra.notify.models import Notification
from kendra.notify.undelivered import UNDELIVERED

from . import metrics
from .charts import chart, day_labels, week_label

SHOWN = 8
MOOD_DAYS = 90
ABSENCE_DAYS = 28  # "two in a row" looks at the sessions of the last four weeks


def absent_twice(request):
    """Counselors: admitted residents marked absent at their last two held sessions of the
    last four weeks (2 queries). Only recent sessions are read — through the index on
    (centre, start) — so the cost follows the centre's size, not the length of its history."""
    user = request.user
    centre_ids = access.centre_ids(user, {Role.COUNSELOR})  # not peer leaders: whole centre
    if not centre_ids:
        return None
    now = timezone.now()
    last_two = (
        Attendance.objects.filter(
            session__centre_id__in=centre_ids,
            session__status=Session.Status.HELD,
            session__start__gte=now - dt.timedelta(days=ABSENCE_DAYS),
            session__start__lte=now,
        )
        .annotate(
            n=Window(
                RowNumber(),
                partition_by=[F("resident_id")],
                order_by=[F("session__start").desc(), F("pk").desc()],
            )
        )
        .filter(n__lte=2)
        .order_by()  # not Attendance's default (resident name): it would join for nothing
        .values_list("resident_id", "status")
    )
    absences = {}
    for resident_id, status in last_two:
        absences.setdefault(resident_id, []).append(status == Attendance.Status.ABSENT)
    ids = [pk for pk, marks in absences.items() if len(marks) == 2 and all(marks)]
    # Admitted only (filtered here, not above, so the first query needs no join); the
    # window count gives the total in the same query as the first few names.
    residents = list(
        access.residents_for(user, "residents.view")
        .filter(pk__in=ids, status=Resident.Status.ADMITTED)
        .annotate(total=Window(Count("pk")))
        .order_by("full_name")[:SHOWN]
    )
    return {"residents": residents, "count": residents[0].total if residents else 0}


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


def _one_decimal(value):
    return None if value is None else round(float(value), 1)


def resident_mood(request, resident):
    """Mood (1–5) and craving (0–10) over 90 days, one point per day (the day's average):
    at most 91 points however often the resident checks in (1 query)."""
    if not access.can(request.user, "checkins.view", resident.centre_id):
        return None
    since = timezone.now() - dt.timedelta(days=MOOD_DAYS)
    days = list(
        CheckIn.objects.filter(resident=resident, at__gte=since)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(mood=Avg("mood"), craving=Avg("craving"))
        .order_by("day")
        .values_list("day", "mood", "craving")
    )
    checkins = [(day, _one_decimal(mood), _one_decimal(craving)) for day, mood, craving in days]
    labels = day_labels(day for day, *_rest in checkins)
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


def centres_overview(request):
    """An admin of several centres: one row per centre — residents on the roll, today's
    sessions, open alerts, messages not delivered (one query each, whatever the number
    of centres). Every centre they administer, whichever the switcher shows."""
    held = access.all_roles_by_centre(request.user)
    ids = sorted(cid for cid, roles in held.items() if Role.CENTRE_ADMIN in roles)
    if len(ids) < 2:
        return None
    start, end = local_day_bounds(timezone.localdate())
    since = timezone.now() - dt.timedelta(days=settings.NOTIFY_UNDELIVERED_DAYS)
    counts = {
        "residents": Resident.objects.filter(status=Resident.Status.ADMITTED),
        "sessions": Session.objects.filter(start__gte=start, start__lt=end).exclude(
            status=Session.Status.CANCELLED
        ),
        "alerts": Alert.objects.filter(status=Alert.Status.OPEN),
        "undelivered": Notification.objects.filter(status__in=UNDELIVERED, created_at__gte=since),
    }
    by_kind = {
        kind: dict(
            rows.filter(centre_id__in=ids).order_by().values_list("centre_id").annotate(Count("pk"))
        )
        for kind, rows in counts.items()
    }
    centres = Centre.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name")
    rows = [
        {"pk": pk, "name": name, **{kind: by_kind[kind].get(pk, 0) for kind in counts}}
        for pk, name in centres
    ]
    return {"rows": rows, "shown": access.centre_shown(request.user)}
