"""Demo rota for the coming four weeks, day and night covered at both centres."""

import datetime as dt

from kendra.models import Membership, Role

from .models import DutyShift, Shift

WEEKS = 4


def seed(ctx):
    shifts = []
    for centre in ctx.centres:
        counselors = list(
            Membership.objects.filter(centre=centre, role=Role.COUNSELOR, is_active=True).order_by(
                "pk"
            )
        )
        if not counselors:
            continue
        # The demo counselor login is on duty today and tonight, so a help press reaches them.
        first = next(
            (m for m in counselors if m.user_id == ctx.users["counselor"].pk), counselors[0]
        )
        others = [m for m in counselors if m != first] or [first]
        for n in range(-1, 7 * WEEKS):
            day = ctx.today + dt.timedelta(days=n)
            night = first if n <= 0 or n % 2 else others[n % len(others)]
            shifts.append(DutyShift(centre=centre, date=day, shift=Shift.DAY, membership=first))
            shifts.append(DutyShift(centre=centre, date=day, shift=Shift.NIGHT, membership=night))
    DutyShift.objects.bulk_create(shifts)
