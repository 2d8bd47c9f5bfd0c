"""Demo mentors and pairings for the Jaipur centre (and one in Lucknow).

The `mentor` login mentors one or two residents; a few more mentors (without logins)
share the load; some pairings have ended; the newest residents wait in the queue.
"""

import datetime as dt

from django.utils import timezone

from .models import ContactLog, MentorProfile, Pairing

MIN_DAYS = 200  # comfortably over the default 180 days sober


def _ready(resident, today):
    """Make sure a chosen mentor has been sober long enough (demo data is random)."""
    if (resident.days_sober(today) or 0) < MIN_DAYS:
        resident.sobriety_date = today - dt.timedelta(days=MIN_DAYS + resident.pk % 200)
        resident.admission_date = min(resident.admission_date, resident.sobriety_date)
        resident.save(update_fields=["sobriety_date", "admission_date"])
    return resident


def _at(today, days_ago, hour=11):
    day = today - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed(ctx):
    today, rng = ctx.today, ctx.rng
    jaipur = ctx.home
    peer_leader = ctx.users["peerleader"]
    people = ctx.residents[jaipur.pk]
    seniors = [
        r
        for r in people
        if r.gender == "male"
        and (not r.is_admitted or (today - r.admission_date).days >= 120)
        and r.discharge_reason in {"", "completed"}
    ]
    seniors.sort(key=lambda r: (-(r.days_sober(today) or 0), r.pk))
    chosen = [_ready(r, today) for r in seniors[:4]]

    mentor_user = ctx.users["mentor"]
    profiles = [
        MentorProfile.objects.create(
            centre=jaipur,
            resident=chosen[0],
            user=mentor_user,
            capacity=3,
            languages=["en"],
            availability="Evenings after 6 pm; Sunday mornings at the centre.",
        )
    ]
    for person, capacity, note in zip(
        chosen[1:],
        [2, 3, 1],
        ["Weekday afternoons.", "Calls any time before 9 pm.", "Only on weekends."],
        strict=False,
    ):
        profiles.append(
            MentorProfile.objects.create(
                centre=jaipur, resident=person, capacity=capacity, availability=note
            )
        )

    mentees = [
        r
        for r in people
        if r.is_admitted and r.gender == "male" and 20 <= (today - r.admission_date).days <= 80
    ]
    mentees.sort(key=lambda r: r.admission_date)
    plan = [(profiles[0], 2), (profiles[1], 2)] + [(p, 1) for p in profiles[2:]]
    queue = iter(mentees)
    active = []
    for profile, count in plan:
        for _ in range(count):
            mentee = next(queue, None)
            if mentee is None:
                break
            started = max(mentee.admission_date + dt.timedelta(days=3), today - dt.timedelta(60))
            active.append(
                Pairing.objects.create(
                    centre=jaipur,
                    mentor=profile,
                    mentee=mentee,
                    assigned_by=peer_leader,
                    started_at=_at(started, 0, 10),
                )
            )

    # Contacts: the demo mentor is up to date with one mentee and overdue with the other.
    for n, pairing in enumerate(active):
        since = (today - timezone.localtime(pairing.started_at).date()).days
        last = 2 if n % 2 == 0 else 10
        for days_ago in range(since - 1, last - 1, -6):
            ContactLog.objects.create(
                pairing=pairing,
                at=_at(today, days_ago, rng.choice([10, 16, 19])),
                method=rng.choice(ContactLog.Method.values),
                mood=rng.choice([2, 3, 3, 4, 4, 5]),
                note=rng.choice(
                    [
                        "Talked about the first weeks; he is sleeping better.",
                        "Short call, he asked about the family meeting.",
                        "Walked together after the circle; cravings in the evening.",
                        "Message only: he is fine, will meet on Sunday.",
                    ]
                ),
                logged_by=mentor_user if pairing.mentor.user_id else peer_leader,
            )

    # History: alumni who were mentored and finished, and one mentor who stepped back.
    alumni = [
        r for r in people if not r.is_admitted and r.pk not in {p.resident_id for p in profiles}
    ]
    for n, mentee in enumerate(alumni[:3]):
        start = _at(mentee.admission_date, -5)
        end = _at(mentee.discharge_date, 0, 17)
        if end <= start:
            end = start + dt.timedelta(days=1)
        reason = Pairing.EndReason.COMPLETED if n else Pairing.EndReason.MENTOR_STEPPED_BACK
        pairing = Pairing.objects.create(
            centre=jaipur,
            mentor=profiles[n % len(profiles)],
            mentee=mentee,
            assigned_by=peer_leader,
            started_at=start,
            ended_at=end,
            end_reason=reason,
            ended_by=peer_leader,
        )
        ContactLog.objects.create(
            pairing=pairing, at=start + dt.timedelta(days=1), method="in_person", mood=3
        )

    # Lucknow has a mentor too, so the other centre's staff see something of their own.
    lko = [r for r in ctx.residents[ctx.other.pk] if not r.is_admitted]
    if lko:
        MentorProfile.objects.create(centre=ctx.other, resident=_ready(lko[0], today))
