from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kendra import audit

from . import access, actions
from .forms import RecoveryPlanForm

VERSIONS_SHOWN = 20


def _versions(plan):
    """(number, written with, written on) of each version, newest first."""
    if plan is None:
        return []
    rows = list(
        plan.history.select_related("written_with")
        .order_by("history_date", "history_id")
        .only(
            "history_date",
            "written_on",
            "written_with__first_name",
            "written_with__last_name",
            "written_with__username",
        )
    )
    numbered = [(n, row.written_with, row.written_on) for n, row in enumerate(rows, start=1)]
    return list(reversed(numbered))[:VERSIONS_SHOWN]


@login_required
def plan(request, resident_pk):
    resident = access.get_resident(request.user, resident_pk)
    found = actions.plan_of(resident)
    audit.record(request.user, "recovery_plan.viewed", found or resident, resident=resident)
    versions = _versions(found)
    context = {
        "resident": resident,
        "plan": found,
        "items": found.as_lists() if found else None,
        "versions": versions,
        "version": versions[0][0] if versions else 0,
        "may_write": access.may_write(request.user, resident),
    }
    return render(request, "recovery/plan.html", context)


@login_required
def plan_edit(request, resident_pk):
    resident = access.get_resident(request.user, resident_pk, write=True)
    current = actions.plan_of(resident)
    form = RecoveryPlanForm(request.POST or None, instance=current, resident=resident)
    if request.method == "POST" and form.is_valid():
        actions.save_plan(form, resident, request.user)
        messages.success(request, _("Relapse-prevention plan saved as a new version."))
        return redirect("recovery:plan", resident_pk=resident.pk)
    return render(
        request,
        "recovery/plan_form.html",
        {"resident": resident, "plan": current, "form": form},
        status=400 if form.errors else 200,
    )


def card_language(plan, resident):
    """The card is for the resident: printed in the plan's language where Kendra speaks
    it, else in the resident's language for messages."""
    spoken = dict(settings.LANGUAGES)
    return plan.language if plan.language in spoken else resident.preferred_language


@login_required
def plan_card(request, resident_pk):
    """The one-page card to print (A6, large type, black and white)."""
    resident = access.get_resident(request.user, resident_pk)
    found = actions.plan_of(resident)
    if found is None:
        messages.info(request, _("There is no plan yet to print."))
        return redirect("recovery:plan", resident_pk=resident.pk)
    audit.record(request.user, "recovery_plan.printed", found, resident=resident)
    versions = _versions(found)
    context = {
        "resident": resident,
        "plan": found,
        "items": found.as_lists(),
        "version": versions[0][0],
        "card_language": card_language(found, resident),
    }
    return render(request, "recovery/card.html", context)
