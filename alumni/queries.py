"""Plain queries for reminders (the notification outbox tick calls these) and home panels.

Nothing here sends anything: the outbox decides who hears what, and when.
"""

import datetime as dt

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .milestones import milestones_between, milestones_this_month  # noqa: F401 - re-exported
from .models import NOT_REACHED_AFTER_DAYS, AlumniProfile, FollowUp, Visit

SOBER_FILTERS = [
    ("90", gettext_lazy("90 days or more")),
    ("180", gettext_lazy("6 months or more")),
    ("365", gettext_lazy("1 year or more")),
    ("730", gettext_lazy("2 years or more")),
]


def _local_day_bounds(day):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def visits_on(day, centre_ids=None):
    start, end = _local_day_bounds(day)
    visits = Visit.objects.filter(
        status=Visit.Status.CONFIRMED, starts_at__gte=start, starts_at__lt=end
    )
    if centre_ids is not None:
        visits = visits.filter(centre_id__in=centre_ids)
    return visits.select_related("centre").prefetch_related("alumni__resident")


def visits_tomorrow(today=None):
    """Confirmed visits starting tomorrow (local time): 'your visit is tomorrow' reminders."""
    today = today or timezone.localdate()
    return visits_on(today + dt.timedelta(days=1))


def visits_between(start_day, end_day, centre_ids):
    start, _ = _local_day_bounds(start_day)
    _, end = _local_day_bounds(end_day)
    return (
        Visit.objects.filter(
            centre_id__in=centre_ids,
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=[Visit.Status.PROPOSED, Visit.Status.CONFIRMED],
        )
        .select_related("centre")
        .prefetch_related("alumni__resident")
    )


def followups_due(on_date, centre_ids=None):
    """Open follow-ups whose due date is `on_date` exactly (one reminder per follow-up)."""
    followups = FollowUp.objects.open().filter(due_on=on_date)
    if centre_ids is not None:
        followups = followups.filter(centre_id__in=centre_ids)
    return followups.select_related("profile__resident", "centre")


def not_reached(centre_ids, today=None):
    """Alumni who agreed to contact and whom nobody has reached in 90 days."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=NOT_REACHED_AFTER_DAYS)
    return (
        AlumniProfile.objects.filter(
            centre_id__in=centre_ids, consent_decision=AlumniProfile.Decision.OPTED_IN
        )
        .annotate(reached=Coalesce(F("last_reached_on"), F("resident__discharge_date")))
        .filter(Q(reached__lt=cutoff) | Q(reached__isnull=True))
    )


def directory_filter(alumni, city, sober, available):
    """The directory's filters: a city, sober for at least one of SOBER_FILTERS' days,
    available for visits or to mentor (and agreeing to be contacted)."""
    if city:
        alumni = alumni.filter(city__iexact=city)
    if sober in dict(SOBER_FILTERS):
        cutoff = timezone.localdate() - dt.timedelta(days=int(sober))
        alumni = alumni.filter(resident__sobriety_date__lte=cutoff)
    if available == "visits":
        alumni = alumni.filter(available_for_visits=True, contact_ok=True)
    elif available == "mentor":
        alumni = alumni.filter(can_mentor=True, contact_ok=True)
    return alumni


def cities(centre_ids):
    """The cities alumni of these centres live in, for the directory's filter."""
    return (
        AlumniProfile.objects.filter(centre_id__in=centre_ids)
        .exclude(city="")
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )
