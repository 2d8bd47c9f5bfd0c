"""Erasing a discharged person: asked by one centre admin, confirmed by a second; or, at
the end of the centre's retention period, a dry-run list first and then one confirmation.
The erasing itself is kendra/erasure.py; who, when and why is kendra/actions.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access, actions
from .forms import KendraPlainForm
from .models import Centre, ErasureRequest

LISTED = 50


class EraseForm(KendraPlainForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why"),
        choices=[("", "—")]
        + [c for c in ErasureRequest.Reason.choices if c[0] != ErasureRequest.Reason.RETENTION],
        error_messages={"required": gettext_lazy("Choose why this person is to be erased.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note (erased with the rest; write no name)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RetentionForm(KendraPlainForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have read the list: erase these people now"),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


@login_required
def resident_erase(request, pk):
    resident = access.get_resident(request.user, pk, "residents.erase")
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.ask_to_erase(
                resident, form.cleaned_data["reason"], form.cleaned_data["note"], request.user
            )
        except actions.ErasureRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Erasure asked. A second centre admin must confirm it."))
            return redirect("erasure_list")
    context = {"resident": resident, "form": form}
    return render(request, "kendra/erasure_ask.html", context, status=400 if form.errors else 200)


@login_required
def erasure_list(request):
    access.require(request.user, "residents.erase")
    requests = (
        ErasureRequest.objects.filter(
            centre_id__in=access.centre_ids_for(request.user, "residents.erase")
        )
        .select_related("resident", "requested_by", "confirmed_by")
        .order_by("-requested_at", "-pk")[:LISTED]
    )
    centres = access.centres_for(request.user, "residents.erase")
    return render(request, "kendra/erasure_list.html", {"requests": requests, "centres": centres})


@login_required
def erasure_confirm(request, pk):
    asked = access.get_erasure(request.user, pk)
    if request.method == "POST":
        try:
            actions.confirm_erasure(asked, request.user)
        except actions.ErasureRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Erased. The counts stay; nothing personal is left."))
        return redirect("erasure_list")
    return render(request, "kendra/erasure_confirm.html", {"asked": asked})


@login_required
@require_POST
def erasure_cancel(request, pk):
    asked = access.get_erasure(request.user, pk)
    actions.cancel_erasure(asked, request.user)
    messages.success(request, _("Erasure cancelled."))
    return redirect("erasure_list")


@login_required
def erasure_retention(request, centre_pk):
    centres = Centre.objects.filter(pk__in=access.staff_centre_ids(request.user))
    centre = get_object_or_404(centres, pk=centre_pk)
    access.require(request.user, "residents.erase", centre.pk)
    due = actions.erasure_due(centre)
    listed = list(due[:LISTED]) if due is not None else []
    form = RetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and listed:
        ids = [int(v) for v in request.POST.getlist("resident") if v.isdigit()]
        erased = actions.erase_after_retention(centre, ids, request.user)
        messages.success(request, _("%(n)s people erased.") % {"n": erased})
        return redirect("erasure_list")
    context = {"centre": centre, "due": listed, "form": form, "keeps": due is None}
    return render(request, "kendra/erasure_retention.html", context)
