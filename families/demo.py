"""Demo: the `family` login is a parent of ctx.family_resident, with a family group
(upcoming meetings, one moved, one cancelled), a family session and a past meeting;
another family of the same centre whose data the `family` login must never see."""

import datetime as dt

from django.utils import timezone

from kendra.demo import make_user
from kendra.models import Consent, Profile, Role

from . import actions
from .models import (
    FamilyGroup,
    FamilyMeeting,
    FamilyMember,
    Relationship,
    VisitingHours,
)


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed(ctx):
    jaipur = ctx.home
    today = ctx.today
    son = ctx.family_resident
    counselor = ctx.users["counselor"]
    family = ctx.users["family"]
    Profile.objects.filter(user=family).update(phone="+919829012345")
    FamilyMember.objects.get_or_create(
        user=family,
        resident=son,
        defaults={"relationship": Relationship.PARENT, "phone": "+919829012345"},
    )

    # Another family of the same centre: a father with his own consent and session.
    other = next(
        r
        for r in ctx.residents[jaipur.pk]
        if r.is_admitted and r.pk != son.pk and r.gender == "male"
    )
    father = make_user("family_other", "Ramesh", "Gupta", jaipur, Role.FAMILY_MEMBER)
    ctx.users["family_other"] = father
    FamilyMember.objects.get_or_create(
        user=father, resident=other, defaults={"relationship": Relationship.PARENT}
    )
    Consent.objects.create(
        resident=other,
        purpose=Consent.Purpose.FAMILY_SCHEDULE,
        grantee=father,
        grantee_description="Ramesh Gupta (father)",
        given_by=counselor,
    )

    # A weekly Saturday group both families are invited to, generated ahead.
    parents = FamilyGroup.objects.create(
        centre=jaipur,
        name="Saturday parents' circle",
        audience=FamilyGroup.Audience.PARENTS,
        facilitator=counselor,
        weekday=5,
        start_time=dt.time(10, 30),
        duration_minutes=90,
        place="Hall 2, Navjeevan Kendra",
    )
    parents.residents.add(son, other)
    actions.generate_meetings(parents, today=today, weeks=4)
    upcoming = list(parents.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at"))
    if len(upcoming) >= 3:
        moved = upcoming[1]
        moved.moved_from = moved.starts_at
        moved.starts_at += dt.timedelta(days=1, hours=1)
        moved.ends_at += dt.timedelta(days=1, hours=1)
        moved.sequence += 1
        moved.save()
        cancelled = upcoming[2]
        cancelled.status = FamilyMeeting.Status.CANCELLED
        cancelled.cancel_reason = "Holiday: the centre is closed"
        cancelled.sequence += 1
        cancelled.save()
    # A past meeting, held.
    FamilyMeeting.objects.create(
        centre=jaipur,
        group=parents,
        topic="Understanding relapse",
        starts_at=_at(today - dt.timedelta(days=9), 10, 30),
        ends_at=_at(today - dt.timedelta(days=9), 12),
        place=parents.place,
        status=FamilyMeeting.Status.HELD,
    )
    # A spouses' group only the other family is in: must stay hidden from `family`.
    spouses = FamilyGroup.objects.create(
        centre=jaipur,
        name="Wednesday spouses' group",
        audience=FamilyGroup.Audience.SPOUSES,
        weekday=2,
        start_time=dt.time(17, 0),
        online_link="https://meet.example.in/navjeevan-spouses",
    )
    spouses.residents.add(other)
    actions.generate_meetings(spouses, today=today, weeks=3)

    # Family sessions: one for each family.
    day = today + dt.timedelta(days=3)
    FamilyMeeting.objects.create(
        centre=jaipur,
        resident=son,
        topic="Planning the home visit",
        starts_at=_at(day, 15),
        ends_at=_at(day, 16),
        place="Counselling room 1",
    )
    FamilyMeeting.objects.create(
        centre=jaipur,
        resident=other,
        topic="Father-son session",
        starts_at=_at(day, 11),
        ends_at=_at(day, 12),
        place="Counselling room 2",
    )
    # Visiting hours of the Jaipur centre: the family sees the coming visiting days.
    VisitingHours.objects.create(
        centre=jaipur,
        weekday=6,
        start_time=dt.time(10, 0),
        end_time=dt.time(13, 0),
        note="Bring an ID card. Home-cooked food only after asking the counselor.",
    )
    VisitingHours.objects.create(
        centre=jaipur, weekday=2, start_time=dt.time(16, 0), end_time=dt.time(18, 0)
    )
    for centre in ctx.centres[1:]:  # the other centre keeps its own (Saturday) hours
        VisitingHours.objects.create(
            centre=centre, weekday=5, start_time=dt.time(11, 0), end_time=dt.time(13, 0)
        )
    ctx.log.append(f"families: family → parent of {son}, 2 family groups, sessions, visiting hours")
