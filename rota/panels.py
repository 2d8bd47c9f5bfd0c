"""The rota on the home page: today's and tonight's counselor on duty; a gap tonight is a
warning for the centre admin. Computed plainly on each request (one query; two for a
person of several centres)."""

from django.db.models import Q
from django.utils import timezone

from kendra import access
from kendra.models import Centre, Role

from .models import DutyShift, Shift, tonight


def home(request):
    user = request.user
    ids = access.centre_ids_for(user, "rota.manage")
    if not ids:
        return None
    today, night = timezone.localdate(), tonight()
    shifts = DutyShift.objects.current().filter(
        Q(date=today, shift=Shift.DAY) | Q(date=night, shift=Shift.NIGHT),
        centre_id__in=ids,
        membership__is_active=True,
    )
    found = {(s.centre_id, s.shift): s for s in shifts.select_related("membership__user")}
    # Names are shown only beside two centres or more: for one, no query for it.
    centres = (
        [Centre(pk=next(iter(ids)))]
        if len(ids) == 1
        else Centre.objects.filter(pk__in=ids).order_by("name", "pk")
    )
    rows = []
    for centre in centres:
        admin = access.has_role(user, Role.CENTRE_ADMIN, centre_id=centre.pk)
        day, night_shift = found.get((centre.pk, Shift.DAY)), found.get((centre.pk, Shift.NIGHT))
        rows.append(
            {
                "centre": centre,
                "day": day,
                "night": night_shift,
                "gap_warning": admin and night_shift is None,
            }
        )
    return {"rows": rows, "show_centre": len(rows) > 1}
