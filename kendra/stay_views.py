"""The pages of stays: "Admit again" (readmission) and a stay's stage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions, audit
from .stay_forms import ReadmitForm, StageForm
from .stays import Stay, StayRefused


@login_required
def resident_readmit(request, pk):
    """The confirmation page of "Admit again": a new stay on the same person."""
    resident = access.get_resident(request.user, pk, "residents.edit")
    if resident.is_admitted:
        messages.info(request, _("%(name)s is already admitted.") % {"name": resident})
        return redirect(resident)
    form = ReadmitForm(request.POST or None, resident=resident)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.readmit_resident(
                resident,
                data["admission_date"],
                request.user,
                data["referral_source"],
                data["note"],
            )
        except StayRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("%(name)s has been admitted again: a new stay.") % {"name": resident}
            )
            return redirect(resident)
    return render(request, "kendra/resident_readmit.html", {"form": form, "resident": resident})


@login_required
@require_POST
def stay_stage(request, pk):
    """A counselor moves the current stay to another stage (each change kept)."""
    centres = access.centre_ids_for(request.user, "residents.edit")
    stay = get_object_or_404(Stay, pk=pk, centre_id__in=centres)
    resident = access.get_resident(request.user, stay.resident_id, "residents.edit")
    form = StageForm(request.POST)
    if form.is_valid() and stay.move_to(form.cleaned_data["stage"], request.user):
        audit.record(request.user, "stay.stage_changed", stay, resident=resident)
        messages.success(
            request, _("Stage changed to %(stage)s.") % {"stage": stay.get_stage_display()}
        )
    elif not form.is_valid():
        messages.error(request, _("Choose a stage from the list."))
    return redirect(resident)
