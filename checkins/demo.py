"""Demo: reminder plans for residents and alumni, two weeks of check-ins, one open alert."""

import datetime as dt

from django.utils import timezone

from kendra.models import Resident
from kendra.stays import fill_stays

from . import actions, rules
from .models import Alert, CheckIn, CheckinDefaults, ReminderPlan


def seed(ctx):
    now = timezone.now()
    for centre in ctx.centres:
        CheckinDefaults.objects.get_or_create(centre=centre)
        people = [
            r
            for r in ctx.residents.get(centre.pk, [])
            if r.is_admitted or r.discharge_reason == Resident.DischargeReason.COMPLETED
        ]
        checkins = []
        for resident in people:
            plan = actions.ensure_plan(resident, now)
            if not resident.is_admitted:
                plan.local_time = dt.time(19, 0)
                actions.reschedule(plan, now)
                plan.save()
            days = 14 if resident.is_admitted else 0
            for back in range(days, 0, -1):
                if ctx.rng.random() < 0.15:
                    continue  # some mornings are missed
                day = ctx.today - dt.timedelta(days=back)
                at = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
                checkins.append(
                    CheckIn(
                        resident=resident,
                        at=at,
                        for_date=day,
                        mood=ctx.rng.choice([3, 3, 4, 4, 4, 5]),
                        craving=ctx.rng.randint(0, 4),
                        source=CheckIn.Source.CIRCLE,
                        recorded_by=ctx.users.get("counselor") if centre == ctx.home else None,
                    )
                )
        CheckIn.objects.bulk_create(fill_stays(checkins))
    # One open alert in the demo centre: a resident who reported a strong craving this morning.
    admitted = [r for r in ctx.residents[ctx.home.pk] if r.is_admitted]
    someone = admitted[-1]
    checkin = CheckIn.objects.create(
        resident=someone,
        at=now - dt.timedelta(hours=1),
        for_date=ctx.today,
        mood=3,
        craving=8,
        source=CheckIn.Source.CIRCLE,
        recorded_by=ctx.users["counselor"],
    )
    rules.check_checkin(checkin)
    if not Alert.objects.filter(resident=someone).exists():  # pragma: no cover - safety net
        rules.raise_alert(someone, Alert.Rule.HIGH_CRAVING, "Craving 8 of 10 this morning.")
    ctx.log.append(f"check-ins: {ReminderPlan.objects.count()} plans, one open alert")
