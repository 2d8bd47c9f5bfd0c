"""The alumni panels on the home page: coordinators' week, mentors' mentees' milestones."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from kendra import access
from kendra.models import Role
from mentors import access as mentor_access

from . import milestones, queries, reminders
from .models import FollowUp

HOME_MILESTONES = 8  # the rest are one tap away on the milestones page


def home_panel(request):
    """Coordinators' home: visits this week, follow-ups, milestones, people not reached."""
    user = request.user
    if not access.can(user, "alumni.view"):
        return None
    centre_ids = access.centre_ids_for(user, "alumni.view")
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    followups = FollowUp.objects.filter(centre_id__in=centre_ids)
    counts = followups.aggregate(
        due=Count("pk", filter=Q(pk__in=followups.due(today).values("pk"))),
        overdue=Count("pk", filter=Q(pk__in=followups.overdue(today).values("pk"))),
    )
    this_month = milestones.milestones_this_month(centre_ids, today)
    return {
        "visits": list(
            queries.visits_between(today, week_end, centre_ids).order_by("starts_at")[:5]
        ),
        **counts,
        # Urgent: the first days after leaving against advice, where the centre gives
        # those calls to the alumni coordinator (a centre setting).
        "urgent": list(
            followups.open()
            .filter(days__gt=0, centre__early_contact_by=Role.ALUMNI_COORDINATOR)
            .filter(due_on__lte=today + dt.timedelta(days=1))
            .select_related("profile__resident")
            .order_by("due_on", "pk")[:10]
        ),
        "milestones": this_month[:HOME_MILESTONES],
        "more_milestones": len(this_month) > HOME_MILESTONES,
        "not_reached": queries.not_reached(centre_ids, today).count(),
        "due_this_week": list(reminders.due_this_week(centre_ids, today)[:HOME_MILESTONES]),
        "anniversaries": [
            {"on": day, "span": reminders.span(months), "profile": profile}
            for day, months, profile in reminders.anniversaries_between(
                today, week_end, centre_ids
            )[:HOME_MILESTONES]
        ],
    }


def mentor_milestones_panel(request):
    """Mentors' home: milestones coming up this month for their own mentees (active pairings)."""
    user = request.user
    if not access.has_role(user, Role.MENTOR):
        return None
    today = timezone.localdate()
    first, last = milestones.month_bounds(today)
    mentees = [
        pairing.mentee
        for pairing in mentor_access.mentee_pairings(user)
        .filter(ended_at__isnull=True)
        .select_related("mentee")
    ]
    found = [m for m in milestones.milestones_for_residents(mentees, first, last) if m.on >= today]
    return {"milestones": found}
