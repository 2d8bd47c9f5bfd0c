"""Demo rota: the coming four weeks at the demo's home centre, day and night covered."""

import datetime as dt

from kendra.models import Membership, Role

from .models import DutyShift, Shift

WEEKS = 4


def seed(ctx):
    jaipur = ctx.centres[0]
    counselors = list(
        Membership.objects.filter(centre=jaipur, role=Role.COUNSELOR, is_active=True).order_by("pk")
    )
    if not counselors:
        return
    demo = next(m for m in counselors if m.user_id == ctx.users["counselor"].pk)
    others = [m for m in counselors if m != demo] or [demo]
    shifts = []
    for n in range(-1, 7 * WEEKS):
        day = ctx.today + dt.timedelta(days=n)
        # The demo counselor is on duty by day and tonight, so a help press reaches them.
        night = demo if n <= 0 or n % 2 else others[n % len(others)]
        shifts.append(DutyShift(centre=jaipur, date=day, shift=Shift.DAY, membership=demo))
        shifts.append(DutyShift(centre=jaipur, date=day, shift=Shift.NIGHT, membership=night))
    DutyShift.objects.bulk_create(shifts)
