import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access as rota_access
from . import actions
from .forms import AddShiftsForm
from .models import DutyShift, Shift, shift_at

WEEKS_SHOWN = 4


def _centre(request, centres):
    wanted = request.GET.get("centre") or request.POST.get("centre")
    return next((c for c in centres if str(c.pk) == wanted), centres[0])


def _weeks(centre, today):
    """Rows of (day, day shift, night shift) for the coming weeks, in one query."""
    last = today + dt.timedelta(days=7 * WEEKS_SHOWN - 1)
    shifts = {
        (s.date, s.shift): s
        for s in DutyShift.objects.current()
        .filter(centre=centre, date__range=(today, last))
        .select_related("membership__user")
    }
    return [
        (day, shifts.get((day, Shift.DAY)), shifts.get((day, Shift.NIGHT)))
        for day in actions.days(today, last)
    ]


@login_required
def rota(request):
    centres = rota_access.rota_centres(request.user)
    centre = _centre(request, centres)
    form = AddShiftsForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_shifts(
                centre, data["membership"], data["shift"], data["first"], data["last"], request.user
            )
        except actions.RotaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The rota is saved."))
            return redirect(f"{request.path}?centre={centre.pk}")
    today = timezone.localdate()
    context = {"centre": centre, "centres": centres, "form": form, "today": today}
    context.update(rows=_weeks(centre, today), running=shift_at())
    return render(request, "rota/rota.html", context, status=400 if form.errors else 200)


@login_required
def shift_remove(request, pk):
    shift = rota_access.get_duty_shift(request.user, pk)
    back = f"{redirect('rota:rota').url}?centre={shift.centre_id}"
    if shift.ended_at is not None:
        messages.info(request, _("This shift is no longer on the rota."))
        return redirect(back)
    if request.method == "POST":
        actions.remove_shift(shift, request.user)
        messages.success(request, _("The shift is taken off the rota."))
        return redirect(back)
    return render(request, "rota/shift_remove.html", {"shift": shift, "back": back})
