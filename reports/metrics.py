"""The centre's numbers, as plain functions of (centre, start, end) -> numbers.

Dates are inclusive local dates. Each function runs a fixed number of aggregate queries,
whatever the size of the centre (no query per row). "On the roll on a day" means admitted
on or before that day and not yet discharged (a resident discharged on a day is no longer
counted that day).
"""

import datetime as dt

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils import timezone

from alumni.models import FollowUp, Visit
from checkins.models import Alert, CheckIn
from families.models import FamilyMeeting, MeetingAttendance
from groups.models import ATTENDED, Attendance, Format, Kind, Session, local_day_bounds
from kendra.models import Resident, Stay
from mentors.models import ContactLog, MentorProfile, Pairing

WEEKS = 12


def percent(part, whole):
    return round(100 * part / whole) if whole else None


def bounds(start, end):
    """Aware datetimes [from, to) covering the local dates start..end."""
    return local_day_bounds(start)[0], local_day_bounds(end)[1]


def last_full_month(today=None):
    today = today or timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def week_starts(today=None, weeks=WEEKS):
    """Mondays of the last `weeks` weeks, oldest first, the current week last."""
    today = today or timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _on_roll(day, prefix=""):
    """Q for residents on the roll on `day`."""
    return Q(**{f"{prefix}admission_date__lte": day}) & (
        Q(**{f"{prefix}discharge_date__isnull": True, f"{prefix}status": Resident.Status.ADMITTED})
        | Q(**{f"{prefix}discharge_date__gt": day})
    )


def _overlapping(centre, start, end):
    """Residents on the roll at some day of start..end."""
    return Resident.objects.filter(centre=centre, admission_date__lte=end).filter(
        Q(discharge_date__isnull=True, status=Resident.Status.ADMITTED)
        | Q(discharge_date__gt=start)
    )


def _roll_days(spans, start, end):
    """Resident-days on the roll between start and end, from (admitted, left) spans."""
    total = 0
    for admitted, left in spans:
        first = max(admitted, start)
        last = min(left - dt.timedelta(days=1), end) if left else end
        if last >= first:
            total += (last - first).days + 1
    return total


# --- residents ----------------------------------------------------------------------------


def residents(centre, start, end):
    """Admitted, discharged by reason, and on the roll at the start and the end (2 queries).

    on_roll_at_end = on_roll_at_start + admitted - discharged, when every discharge has a date.
    """
    totals = Resident.objects.filter(centre=centre).aggregate(
        admitted=Count("pk", filter=Q(admission_date__gte=start, admission_date__lte=end)),
        discharged=Count("pk", filter=Q(discharge_date__gte=start, discharge_date__lte=end)),
        at_start=Count("pk", filter=_on_roll(start - dt.timedelta(days=1))),
        at_end=Count("pk", filter=_on_roll(end)),
    )
    by_reason = dict(
        Resident.objects.filter(centre=centre, discharge_date__gte=start, discharge_date__lte=end)
        .values_list("discharge_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reasons = [
        (value, label, by_reason.get(value, 0)) for value, label in Resident.DischargeReason.choices
    ]
    if by_reason.get("", 0) or by_reason.get(None, 0):
        reasons.append(("", "—", by_reason.get("", 0) + by_reason.get(None, 0)))
    return {**totals, "by_reason": reasons}


def stays(centre, start, end):
    """Admissions (every stay begun in the period, first or again), readmissions within 30
    and within 90 days of the same person's previous discharge, and stays that ended with
    "left against advice" in the period (2 queries)."""
    previous = Stay.objects.filter(
        resident=OuterRef("resident"),
        discharge_date__isnull=False,
        admission_date__lt=OuterRef("admission_date"),
    ).order_by("-admission_date", "-pk")
    begun = list(
        Stay.objects.filter(centre=centre, admission_date__gte=start, admission_date__lte=end)
        .annotate(last_left=Subquery(previous.values("discharge_date")[:1]))
        .values_list("admission_date", "last_left")
    )
    gaps = [(admitted - left).days for admitted, left in begun if left is not None]
    left_against_advice = Stay.objects.filter(
        centre=centre,
        discharge_date__gte=start,
        discharge_date__lte=end,
        discharge_reason=Resident.DischargeReason.AGAINST_ADVICE,
    ).count()
    return {
        "admissions": len(begun),
        "readmitted_30": sum(1 for gap in gaps if gap <= 30),
        "readmitted_90": sum(1 for gap in gaps if gap <= 90),
        "left_against_advice": left_against_advice,
    }


def occupancy(centre, day):
    return Resident.objects.filter(centre=centre).filter(_on_roll(day)).count()


# --- sessions -----------------------------------------------------------------------------


def group_sessions(centre, start, end):
    """Held group sessions by kind and format, with attendance (1 query).

    Rows: (kind label, format label, sessions, attended, marked). Totals add up the rows.
    """
    since, until = bounds(start, end)
    rows = (
        Session.objects.filter(
            centre=centre, status=Session.Status.HELD, start__gte=since, start__lt=until
        )
        .values("group__kind", "group__format")
        .annotate(
            sessions=Count("pk", distinct=True),
            attended=Count("attendances", filter=Q(attendances__status__in=ATTENDED)),
            marked=Count("attendances"),
        )
        .order_by("group__kind", "group__format")
    )
    kinds, formats = dict(Kind.choices), dict(Format.choices)
    table = [
        {
            "kind": kinds.get(r["group__kind"], r["group__kind"]),
            "format": formats.get(r["group__format"], "—") if r["group__format"] else "—",
            "sessions": r["sessions"],
            "attended": r["attended"],
            "marked": r["marked"],
        }
        for r in rows
    ]
    total = {k: sum(r[k] for r in table) for k in ("sessions", "attended", "marked")}
    total["rate"] = percent(total["attended"], total["marked"])
    return {"rows": table, "total": total}


def session_types(centre, start, end, groups=None):
    """Individual (mentor one-to-one contacts), group and family sessions (2 more queries)."""
    since, until = bounds(start, end)
    groups = groups or group_sessions(centre, start, end)
    individual = ContactLog.objects.filter(
        pairing__centre=centre, at__gte=since, at__lt=until
    ).count()
    family = FamilyMeeting.objects.filter(
        centre=centre, starts_at__gte=since, starts_at__lt=until
    ).aggregate(
        group_meetings=Count("pk", filter=Q(group__isnull=False, status=FamilyMeeting.Status.HELD)),
        family_sessions=Count(
            "pk", filter=Q(resident__isnull=False, status=FamilyMeeting.Status.HELD)
        ),
    )
    rows = {
        "individual": individual,
        "group": groups["total"]["sessions"],
        "family_group": family["group_meetings"],
        "family_session": family["family_sessions"],
    }
    rows["total"] = sum(rows.values())
    return rows


def family_reach(centre, start, end, types=None):
    """Family meetings held, families who came and residents whose family came (1 query).

    - meetings held: family group meetings and family sessions marked held, starting in
      the period (cancelled and merely planned meetings are not counted);
    - families that attended: family member accounts marked present at least once at
      such a meeting, each counted once however often they came;
    - residents whose family attended: residents with at least one of their family
      members marked present at such a meeting.
    """
    since, until = bounds(start, end)
    types = types or session_types(centre, start, end)
    came = MeetingAttendance.objects.filter(
        meeting__centre=centre,
        meeting__status=FamilyMeeting.Status.HELD,
        meeting__starts_at__gte=since,
        meeting__starts_at__lt=until,
        member__isnull=False,
    ).aggregate(
        families=Count("member__user_id", distinct=True),
        residents=Count("member__resident_id", distinct=True),
    )
    return {
        "meetings_held": types["family_group"] + types["family_session"],
        "families": came["families"],
        "residents": came["residents"],
    }


# --- check-ins and alerts -----------------------------------------------------------------


def _checkin_day():
    return Coalesce("for_date", TruncDate("at"))


def checkin_response(centre, start, end):
    """Days with a check-in / days on the roll, over residents on the roll (2 queries)."""
    spans = list(_overlapping(centre, start, end).values_list("admission_date", "discharge_date"))
    expected = _roll_days(spans, start, end)
    answered = _answered_days(centre, start, end).values("resident_id", "day").distinct().count()
    return {"expected": expected, "answered": answered, "rate": percent(answered, expected)}


def _answered_days(centre, start, end):
    """Check-ins on days their resident was on the roll, between start and end."""
    return (
        CheckIn.objects.filter(resident__centre=centre)
        .annotate(day=_checkin_day())
        .filter(day__gte=start, day__lte=end)
        .filter(day__gte=F("resident__admission_date"))
        .filter(Q(resident__discharge_date__isnull=True) | Q(day__lt=F("resident__discharge_date")))
    )


def alerts(centre, start, end):
    """Alerts raised in the period by rule, and resolved in the period (2 queries)."""
    since, until = bounds(start, end)
    by_rule = dict(
        Alert.objects.filter(centre=centre, raised_at__gte=since, raised_at__lt=until)
        .values_list("rule")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = Alert.objects.filter(centre=centre).aggregate(
        resolved=Count("pk", filter=Q(resolved_at__gte=since, resolved_at__lt=until)),
        open_at_end=Count(
            "pk",
            filter=Q(raised_at__lt=until)
            & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=until)),
        ),
    )
    rules = [(value, label, by_rule.get(value, 0)) for value, label in Alert.Rule.choices]
    return {"by_rule": rules, "raised": sum(n for *_, n in rules), **counts}


# --- mentors and alumni -------------------------------------------------------------------


def pairings(centre, start, end):
    """Pairings active at some time in the period, started and ended in it (1 query)."""
    since, until = bounds(start, end)
    return Pairing.objects.filter(centre=centre).aggregate(
        active=Count(
            "pk",
            distinct=True,
            filter=Q(started_at__lt=until) & (Q(ended_at__isnull=True) | Q(ended_at__gte=since)),
        ),
        started=Count("pk", distinct=True, filter=Q(started_at__gte=since, started_at__lt=until)),
        ended=Count("pk", distinct=True, filter=Q(ended_at__gte=since, ended_at__lt=until)),
        contacts=Count("contacts", filter=Q(contacts__at__gte=since, contacts__at__lt=until)),
    )


def mentor_load(centre):
    """[(mentor name, active mentees, capacity)] for mentors taking mentees (1 query)."""
    return [
        (m.resident.display_name, m.load, m.capacity)
        for m in MentorProfile.objects.filter(centre=centre)
        .with_load()
        .select_related("resident")
        .order_by("resident__full_name")
    ]


def visits(centre, start, end):
    """Alumni visits done in the period, alumni who came and residents reached (2 queries:
    counting alumni joins a visit once per alumnus, which would inflate the sum)."""
    since, until = bounds(start, end)
    done = Visit.objects.filter(
        centre=centre, status=Visit.Status.DONE, starts_at__gte=since, starts_at__lt=until
    )
    totals = done.aggregate(
        done=Count("pk"), residents_reached=Coalesce(Sum("residents_reached"), 0)
    )
    totals["alumni"] = done.aggregate(n=Count("alumni", distinct=True))["n"]
    return totals


def followups(centre, start, end):
    """Follow-ups due in the period by outcome (1 query). due = open + every outcome."""
    by_outcome = dict(
        FollowUp.objects.filter(centre=centre, due_on__gte=start, due_on__lte=end)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    outcomes = [(v, label, by_outcome.get(v, 0)) for v, label in FollowUp.Outcome.choices]
    reached = sum(n for v, _label, n in outcomes if v in FollowUp.REACHED)
    due = sum(by_outcome.values())
    return {
        "due": due,
        "open": by_outcome.get("", 0),
        "reached": reached,
        "rate": percent(reached, due - by_outcome.get("", 0)),
        "outcomes": outcomes,
    }


# --- the whole report ---------------------------------------------------------------------


def monthly(centre, start, end):
    groups = group_sessions(centre, start, end)
    types = session_types(centre, start, end, groups)
    return {
        "centre": centre,
        "start": start,
        "end": end,
        "residents": residents(centre, start, end),
        "stays": stays(centre, start, end),
        "groups": groups,
        "session_types": types,
        "family": family_reach(centre, start, end, types),
        "checkins": checkin_response(centre, start, end),
        "alerts": alerts(centre, start, end),
        "pairings": pairings(centre, start, end),
        "visits": visits(centre, start, end),
        "followups": followups(centre, start, end),
    }


# --- 12-week trends -----------------------------------------------------------------------


def _week_of(day, weeks):
    """Index of the week (from week_starts) that `day` falls in, or None."""
    index = (day - weeks[0]).days // 7
    return index if 0 <= index < len(weeks) else None


def _local_date(value):
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def group_attendance_trend(centre, today=None):
    """Attendance rate per group per week over 12 weeks (1 query).

    [{"group": name, "rates": [percent or None per week], "came": [...], "marked": [...]}]
    """
    weeks = week_starts(today)
    since, until = bounds(weeks[0], weeks[-1] + dt.timedelta(days=6))
    rows = (
        Attendance.objects.filter(
            session__centre=centre,
            session__status=Session.Status.HELD,
            session__start__gte=since,
            session__start__lt=until,
        )
        .annotate(week=TruncWeek("session__start"))
        .values("session__group_id", "session__group__name", "week")
        .annotate(marked=Count("pk"), came=Count("pk", filter=Q(status__in=ATTENDED)))
        .order_by("session__group__name", "session__group_id")
    )
    groups = {}
    for row in rows:
        group = groups.setdefault(
            row["session__group_id"],
            {
                "group": row["session__group__name"],
                "came": [0] * len(weeks),
                "marked": [0] * len(weeks),
            },
        )
        index = _week_of(_local_date(row["week"]), weeks)
        if index is not None:
            group["came"][index] += row["came"]
            group["marked"][index] += row["marked"]
    for group in groups.values():
        group["rates"] = [
            percent(c, m) for c, m in zip(group["came"], group["marked"], strict=True)
        ]
    return {"weeks": weeks, "groups": list(groups.values())}


def centre_trends(centre, today=None):
    """Occupancy, attendance rate, check-in response rate, follow-up reach rate and open
    alerts for each of the last 12 weeks (6 queries, whatever the size of the centre).

    A week's point is taken at its end (or today, for the current week)."""
    today = today or timezone.localdate()
    weeks = week_starts(today)
    ends = [min(w + dt.timedelta(days=6), today) for w in weeks]
    first, last = weeks[0], today

    roll = Resident.objects.filter(centre=centre).aggregate(
        **{f"w{i}": Count("pk", filter=_on_roll(end)) for i, end in enumerate(ends)}
    )
    open_alerts = Alert.objects.filter(centre=centre).aggregate(
        **{
            f"w{i}": Count(
                "pk",
                filter=Q(raised_at__lt=bounds(end, end)[1])
                & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=bounds(end, end)[1])),
            )
            for i, end in enumerate(ends)
        }
    )

    came, marked = [0] * len(weeks), [0] * len(weeks)
    since, until = bounds(first, last)
    for row in (
        Attendance.objects.filter(
            session__centre=centre,
            session__status=Session.Status.HELD,
            session__start__gte=since,
            session__start__lt=until,
        )
        .annotate(day=TruncDate("session__start"))
        .values("day")
        .annotate(marked=Count("pk"), came=Count("pk", filter=Q(status__in=ATTENDED)))
        .order_by()
    ):
        index = _week_of(row["day"], weeks)
        if index is not None:
            came[index] += row["came"]
            marked[index] += row["marked"]

    spans = list(_overlapping(centre, first, last).values_list("admission_date", "discharge_date"))
    answered = [0] * len(weeks)
    for row in (
        _answered_days(centre, first, last)
        .values("day")
        .annotate(n=Count("resident_id", distinct=True))
        .order_by()
    ):
        index = _week_of(row["day"], weeks)
        if index is not None:
            answered[index] += row["n"]
    expected = [_roll_days(spans, w, e) for w, e in zip(weeks, ends, strict=True)]

    # Follow-up reach per week counts the calls recorded that week (due dates are sparse).
    reached, closed = [0] * len(weeks), [0] * len(weeks)
    for row in (
        FollowUp.objects.filter(centre=centre, recorded_at__gte=since, recorded_at__lt=until)
        .exclude(outcome="")
        .annotate(day=TruncDate("recorded_at"))
        .values("day")
        .annotate(reached=Count("pk", filter=Q(outcome__in=FollowUp.REACHED)), closed=Count("pk"))
        .order_by()
    ):
        index = _week_of(row["day"], weeks)
        if index is not None:
            reached[index] += row["reached"]
            closed[index] += row["closed"]

    return {
        "weeks": weeks,
        "occupancy": [roll[f"w{i}"] for i in range(len(weeks))],
        "attendance": [percent(c, m) for c, m in zip(came, marked, strict=True)],
        "checkins": [percent(a, e) for a, e in zip(answered, expected, strict=True)],
        "followups": [percent(r, c) for r, c in zip(reached, closed, strict=True)],
        "alerts": [open_alerts[f"w{i}"] for i in range(len(weeks))],
    }
