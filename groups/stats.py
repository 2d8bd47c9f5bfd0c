"""Attendance rates: share of held sessions someone was marked present or late."""

from django.db.models import Count, Q

from .models import ATTENDED, Attendance, Session


def _rate(came, marked):
    return round(100 * came / marked) if marked else None


RATE_WEEKS = 12  # the group page's rates cover the sessions of the last 12 weeks


def attendance_rates(group, since=None):
    """{resident_id: percent, "group": percent} over the group's held sessions, from `since`
    if given (1 query; through the (group, start) index, so bounded by the period)."""
    attendances = Attendance.objects.filter(
        session__group=group, session__status=Session.Status.HELD
    )
    if since is not None:
        attendances = attendances.filter(session__start__gte=since)
    rows = (
        attendances.order_by()
        .values("resident_id")
        .annotate(marked=Count("id"), came=Count("id", filter=Q(status__in=ATTENDED)))
    )
    rates, total_came, total_marked = {}, 0, 0
    for row in rows:
        rates[row["resident_id"]] = _rate(row["came"], row["marked"])
        total_came += row["came"]
        total_marked += row["marked"]
    rates["group"] = _rate(total_came, total_marked)
    return rates


def resident_rate(resident):
    """(percent or None, sessions marked) over every held session of the resident."""
    totals = Attendance.objects.filter(
        resident=resident, session__status=Session.Status.HELD
    ).aggregate(marked=Count("id"), came=Count("id", filter=Q(status__in=ATTENDED)))
    return _rate(totals["came"], totals["marked"]), totals["marked"]
