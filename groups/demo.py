"""Demo groups for seed_demo: every kind of group, a few weeks of held history, and a
session today for the `counselor` login with admitted residents on the roster."""

import datetime as dt

from django.utils import timezone

from kendra.models import Role
from kendra.stays import fill_stays

from . import actions
from .models import (
    Addendum,
    Attendance,
    Audience,
    Format,
    Frequency,
    GroupMember,
    Kind,
    PeerGroup,
    Session,
)

HISTORY_DAYS = 21
TODAY_GROUP = "Relapse prevention group"

INDIVIDUAL_NOTES = [
    "Spoke about cravings in the evening; agreed to call his mentor.",
    "Quiet today but listened well. Check in tomorrow morning.",
    "Shared a trigger at home; practised the urge-surfing exercise.",
    "Good energy, helped a newer resident settle in.",
    "Sleeping badly this week; refer to the doctor.",
]
GROUP_NOTES = [
    "Topic: recognising early warning signs. Most took part; two role-plays.",
    "Discussed family visits and how to handle arguments calmly.",
    "Practised refusal skills in pairs. Group was settled and open.",
]


def _members_for(group, residents, rng, today):
    fits = [r for r in residents if r.is_admitted and group.audience_problem(r, today) is None]
    rng.shuffle(fits)
    chosen = fits[: min(group.capacity, len(fits))]
    GroupMember.objects.bulk_create(
        GroupMember(
            group=group,
            resident=r,
            joined_on=max(r.admission_date, today - dt.timedelta(days=HISTORY_DAYS + 7)),
        )
        for r in chosen
    )
    return chosen


def _hold(session, members, rng, signer):
    day = session.local_date
    notes = session.group.notes_allowed
    rows = []
    for r in members:
        if r.admission_date > day:
            continue
        status = rng.choices(
            [
                Attendance.Status.PRESENT,
                Attendance.Status.LATE,
                Attendance.Status.EXCUSED,
                Attendance.Status.ABSENT,
            ],
            weights=[80, 8, 6, 6],
        )[0]
        came = status in (Attendance.Status.PRESENT, Attendance.Status.LATE)
        rows.append(
            Attendance(
                session=session,
                resident=r,
                status=status,
                mood=rng.randint(2, 5) if came else None,
                participation=rng.randint(2, 5) if came and notes else None,
                note=rng.choice(INDIVIDUAL_NOTES) if came and notes and rng.random() < 0.4 else "",
            )
        )
    Attendance.objects.bulk_create(fill_stays(rows))
    session.status = Session.Status.HELD
    session.logged_at = session.end
    session.logged_by = signer
    if notes:
        session.group_note = rng.choice(GROUP_NOTES)
    if signer:
        session.signed_at = session.end + dt.timedelta(minutes=20)
        session.signed_by = signer
    session.save()


def _history(group, members, rng, today, signer):
    tz = timezone.get_current_timezone()
    for back in range(HISTORY_DAYS, 0, -1):
        day = today - dt.timedelta(days=back)
        if group.frequency == Frequency.NONE:
            if day.weekday() != today.weekday():
                continue
            at = dt.time(11, 0)
        elif not group.meets_on(day):
            continue
        else:
            at = group.start_time
        start = timezone.make_aware(dt.datetime.combine(day, at), tz)
        session = Session.objects.create(
            group=group,
            centre_id=group.centre_id,
            start=start,
            end=start + dt.timedelta(minutes=group.duration_minutes),
            facilitator_id=group.facilitator_id,
            room=group.room,
            generated=group.frequency != Frequency.NONE,
        )
        if back == 3 and group.frequency != Frequency.NONE:
            session.status = Session.Status.CANCELLED
            session.cancel_reason = "Centre-wide medical camp that morning."
            session.save()
            continue
        _hold(session, members, rng, signer)


def seed(ctx):
    rng, today = ctx.rng, ctx.today
    jaipur, lucknow = ctx.home, ctx.other
    counselor, peer = ctx.users["counselor"], ctx.users["peerleader"]
    plans = {
        jaipur: [
            dict(
                name="Morning sharing circle",
                kind=Kind.CIRCLE,
                frequency=Frequency.DAILY,
                start_time=dt.time(7, 30),
                duration_minutes=45,
                room="Prayer hall",
                capacity=20,
            ),
            dict(
                name=TODAY_GROUP,
                kind=Kind.THERAPY,
                format=Format.CBT,
                audience=Audience.MEN,
                frequency=Frequency.NONE,
                room="Counselling room 1",
            ),
            dict(
                name="Skills for life",
                kind=Kind.THERAPY,
                format=Format.SKILLS,
                frequency=Frequency.WEEKLY,
                weekdays=[1, 3],
                start_time=dt.time(15, 0),
                duration_minutes=90,
                room="Counselling room 2",
            ),
            dict(
                name="Understanding addiction",
                kind=Kind.THERAPY,
                format=Format.PSYCHOEDUCATIONAL,
                frequency=Frequency.WEEKLY,
                weekdays=[0],
                start_time=dt.time(10, 0),
                room="Classroom",
            ),
            dict(
                name="Women's support group",
                kind=Kind.THERAPY,
                format=Format.SUPPORT,
                audience=Audience.WOMEN,
                frequency=Frequency.WEEKLY,
                weekdays=[5],
                start_time=dt.time(16, 0),
                room="Garden room",
            ),
            dict(
                name="Morning yoga",
                kind=Kind.ACTIVITY,
                format=Format.YOGA,
                frequency=Frequency.DAILY,
                start_time=dt.time(6, 30),
                capacity=25,
                room="Terrace",
            ),
            dict(
                name="Meditation",
                kind=Kind.ACTIVITY,
                format=Format.MEDITATION,
                frequency=Frequency.WEEKLY,
                weekdays=[2, 6],
                start_time=dt.time(18, 30),
                duration_minutes=30,
                room="Prayer hall",
            ),
            dict(
                name="Sports evening",
                kind=Kind.ACTIVITY,
                format=Format.SPORTS,
                audience=Audience.MEN,
                frequency=Frequency.WEEKLY,
                weekdays=[1, 4],
                start_time=dt.time(17, 30),
                capacity=16,
                room="Ground",
            ),
            dict(
                name="Art therapy",
                kind=Kind.ACTIVITY,
                format=Format.ART,
                frequency=Frequency.WEEKLY,
                weekdays=[3],
                start_time=dt.time(14, 0),
                room="Activity room",
            ),
            dict(
                name="Youth circle",
                kind=Kind.CIRCLE,
                audience=Audience.YOUTH,
                frequency=Frequency.WEEKLY,
                weekdays=[4],
                start_time=dt.time(16, 30),
            ),
            dict(
                name="Festival and cultural evening",
                kind=Kind.ACTIVITY,
                format=Format.CULTURAL,
                frequency=Frequency.WEEKLY,
                weekdays=[6],
                start_time=dt.time(19, 0),
                duration_minutes=120,
                capacity=30,
                room="Prayer hall",
            ),
        ],
        lucknow: [
            dict(
                name="Subah ka circle",
                kind=Kind.CIRCLE,
                frequency=Frequency.DAILY,
                start_time=dt.time(8, 0),
                capacity=20,
            ),
            dict(
                name="CBT group, Lucknow",
                kind=Kind.THERAPY,
                format=Format.CBT,
                frequency=Frequency.WEEKLY,
                weekdays=[0, 3],
                start_time=dt.time(11, 0),
            ),
        ],
    }
    staff = {
        jaipur: (counselor, peer),
        lucknow: (ctx.users["counselor_lko"], ctx.users["peerleader_lko"]),
    }
    today_group = None
    for centre, plan in plans.items():
        lead, co = staff[centre]
        for spec in plan:
            group = PeerGroup.objects.create(centre=centre, facilitator=lead, co_leader=co, **spec)
            members = _members_for(group, ctx.residents[centre.pk], rng, today)
            signer = lead if lead.memberships.filter(role=Role.COUNSELOR).exists() else None
            _history(group, members, rng, today, signer)
            if group.name == TODAY_GROUP:
                today_group = group
    # Today's session for the counselor: already begun, so it can be logged right away.
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(midnight, now.replace(second=0, microsecond=0) - dt.timedelta(minutes=30))
    Session.objects.create(
        group=today_group,
        centre_id=today_group.centre_id,
        start=start,
        end=start + dt.timedelta(minutes=60),
        facilitator=counselor,
        room=today_group.room,
        topic="Handling cravings in the evening",
    )
    actions.generate_sessions(today=today)
    signed = Session.objects.filter(group=today_group, signed_at__isnull=False).first()
    if signed:
        Addendum.objects.create(
            session=signed,
            text="Correction: the role-play was in pairs, not threes.",
            written_by=counselor,
        )
    ctx.log.append(
        f"groups: {PeerGroup.objects.count()} groups, {Session.objects.count()} sessions"
    )
