"""Demo alumni: people at different distances from discharge, consents, visits,
follow-ups with some outcomes, a relapse and milestones coming up this month."""

import datetime as dt

from django.utils import timezone

from kendra.models import Resident, Stay

from . import actions
from .milestones import month_bounds
from .models import AlumniProfile, FollowUp, SuccessStory, Visit, add_months

CITIES = ["Jaipur", "Ajmer", "Kota", "Alwar", "Sikar", "Tonk"]
EXTRA = [  # (name, days since discharge)
    ("Mukesh Saini", 25),
    ("Hemant Rathore", 40),
    ("Irfan Qureshi", 100),
    ("Jitendra Meena", 200),
    ("Lokesh Sharma", 375),
]


def _this_month_day(today, ahead):
    """A day in the current month, `ahead` days from today when the month allows."""
    _first, last = month_bounds(today)
    return min(today + dt.timedelta(days=ahead), last)


def _extra_residents(ctx, centre):
    today, made = ctx.today, []
    for i, (name, since) in enumerate(EXTRA):
        discharged = today - dt.timedelta(days=since)
        admitted = discharged - dt.timedelta(days=75)
        made.append(
            Resident.objects.create(
                centre=centre,
                full_name=name,
                gender="male",
                date_of_birth=today - dt.timedelta(days=365 * (28 + i * 3)),
                languages=["hi"],
                primary_substances=["alcohol"],
                phone=f"+9197000000{i + 10}",
                admission_date=admitted,
                sobriety_date=admitted,
                status=Resident.Status.DISCHARGED,
                discharge_reason=Resident.DischargeReason.COMPLETED,
                discharge_date=discharged,
            )
        )
    for resident in made:
        Stay.mirror(resident)
    # One of them reaches one year sober this month.
    target = _this_month_day(today, 6)
    made[-1].sobriety_date = add_months(target, -12)
    made[-1].save(update_fields=["sobriety_date"])
    return made


def _at(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed(ctx):
    jaipur, today = ctx.home, ctx.today
    coordinator = ctx.users["coordinator"]
    completed = [
        r
        for centre in ctx.centres
        for r in ctx.residents[centre.pk]
        if r.discharge_reason == Resident.DischargeReason.COMPLETED
    ]
    completed += _extra_residents(ctx, jaipur)
    profiles = []
    for i, resident in enumerate(completed):
        profile = actions.make_alumnus(resident)
        profile.city = CITIES[i % len(CITIES)] if resident.centre == jaipur else "Lucknow"
        profile.save(update_fields=["city"])
        profiles.append(profile)

    jaipur_profiles = [p for p in profiles if p.centre_id == jaipur.pk]
    # Two wait for a decision (the newest), one said no, the rest agreed.
    newest_first = sorted(jaipur_profiles, key=lambda p: p.resident.discharge_date, reverse=True)
    pending, opted_out, opted_in = newest_first[:2], newest_first[2], newest_first[3:]
    actions.record_consent(opted_out, AlumniProfile.Decision.OPTED_OUT, coordinator)
    for i, profile in enumerate(opted_in):
        actions.record_consent(profile, AlumniProfile.Decision.OPTED_IN, coordinator)
        profile.available_for_visits = True
        profile.can_mentor = i % 2 == 0
        profile.save(update_fields=["available_for_visits", "can_mentor"])
    for profile in profiles:
        if profile.centre_id != jaipur.pk:
            actions.record_consent(
                profile, AlumniProfile.Decision.OPTED_IN, ctx.users["coordinator_lko"]
            )
    del pending  # left in the queue on purpose

    # Follow-ups: outcomes for most that are past due; a few stay due or overdue.
    outcomes = [
        FollowUp.Outcome.REACHED_SOBER,
        FollowUp.Outcome.REACHED_STRUGGLING,
        FollowUp.Outcome.NOT_REACHED,
        FollowUp.Outcome.REACHED_SOBER,
    ]
    past_due = FollowUp.objects.filter(
        centre=jaipur, due_on__lt=today - dt.timedelta(days=30)
    ).select_related("profile__resident")
    for i, followup in enumerate(past_due):
        if i % 5 == 4:
            continue  # overdue, nobody called
        actions.record_followup_outcome(followup, outcomes[i % len(outcomes)], coordinator)

    # A relapse: the new sobriety date puts a 30-day milestone in this month.
    relapsing = opted_in[0]
    new_sober = _this_month_day(today, 3) - dt.timedelta(days=30)
    actions.record_relapse(
        relapsing,
        new_sober - dt.timedelta(days=2),
        new_sober,
        coordinator,
        note="Drank at a wedding; called his mentor the next day.",
    )

    # Visits: proposed next week, confirmed in a few days, one waiting for an outcome, one done.
    a, b = opted_in[0], opted_in[1 % len(opted_in)]
    proposed = Visit.objects.create(
        centre=jaipur,
        starts_at=_at(today + dt.timedelta(days=7), 11),
        ends_at=_at(today + dt.timedelta(days=7), 12),
        purpose=Visit.Purpose.SHARE_STORY,
        proposed_by=coordinator,
        note="Sharing circle, morning.",
    )
    proposed.alumni.set([b])
    confirmed = Visit.objects.create(
        centre=jaipur,
        starts_at=_at(today + dt.timedelta(days=3), 16),
        ends_at=_at(today + dt.timedelta(days=3), 17),
        purpose=Visit.Purpose.LEAD_ACTIVITY,
        status=Visit.Status.CONFIRMED,
        proposed_by=coordinator,
        confirmed_by=coordinator,
        confirmed_at=timezone.now(),
        note="Evening yoga.",
    )
    confirmed.alumni.set([a])
    waiting = Visit.objects.create(
        centre=jaipur,
        starts_at=_at(today - dt.timedelta(days=1), 10),
        ends_at=_at(today - dt.timedelta(days=1), 11),
        purpose=Visit.Purpose.MEET_MENTEES,
        status=Visit.Status.CONFIRMED,
        proposed_by=coordinator,
        confirmed_by=coordinator,
        confirmed_at=timezone.now() - dt.timedelta(days=4),
    )
    waiting.alumni.set([b])
    done = Visit.objects.create(
        centre=jaipur,
        starts_at=_at(today - dt.timedelta(days=9), 11),
        ends_at=_at(today - dt.timedelta(days=9), 12),
        purpose=Visit.Purpose.SHARE_STORY,
        status=Visit.Status.DONE,
        proposed_by=coordinator,
        confirmed_by=coordinator,
        done_by=coordinator,
        done_at=timezone.now() - dt.timedelta(days=9),
        feedback="Spoke about his first year outside. Many questions about finding work.",
        residents_reached=14,
    )
    done.alumni.set([a, b])
    actions.mark_reached([a, b], today - dt.timedelta(days=9))

    # Success stories: one published with consent, one draft; one published in Lucknow.
    published = SuccessStory.objects.create(
        profile=a,
        centre=jaipur,
        title="One year, one day at a time",
        text="The first month I counted hours. Now I count years. My mentor picked up at 2 am.",
        written_with="Told by the alumnus, written down by the coordinator",
        written_by=coordinator,
    )
    actions.publish_story(published, coordinator, True, "Read it aloud to him on the phone.")
    SuccessStory.objects.create(
        profile=b,
        centre=jaipur,
        title="Back to work",
        text="Draft: how he found work again after leaving the centre.",
        written_by=coordinator,
    )
    lko = [p for p in profiles if p.centre_id != jaipur.pk]
    if lko:
        story = SuccessStory.objects.create(
            profile=lko[0],
            centre=lko[0].centre,
            title="Ghar wapsi",
            text="Coming home to my family, sober.",
            written_by=ctx.users["coordinator_lko"],
        )
        actions.publish_story(story, ctx.users["coordinator_lko"], True)
    ctx.log.append(f"alumni: {len(profiles)} profiles, 4 visits, 1 relapse, stories")
