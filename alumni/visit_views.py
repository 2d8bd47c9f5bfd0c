"""Alumni visits: the list, proposing, a visit's page, confirming, recording, cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kendra import access

from . import access as alumni_access
from . import actions, conflicts
from .forms import CancelVisitForm, VisitDoneForm, VisitForm
from .models import AlumniProfile, Visit
from .views import _data, _page

VISIT_SHOWS = [
    ("upcoming", gettext_lazy("Coming up")),
    ("to_record", gettext_lazy("Waiting for an outcome")),
    ("past", gettext_lazy("Past")),
    ("all", gettext_lazy("All")),
]


@login_required
def visits(request):
    alumni_access.require_alumni_page(request.user)
    show = request.GET.get("show", "upcoming")
    now = timezone.now()
    visits = alumni_access.alumni_visits_for(request.user)
    if show == "upcoming":
        visits = visits.filter(starts_at__gte=now).order_by("starts_at", "pk")
    elif show == "to_record":
        visits = visits.filter(starts_at__lt=now, status=Visit.Status.CONFIRMED).order_by(
            "starts_at", "pk"
        )
    elif show == "past":
        visits = visits.filter(starts_at__lt=now).order_by("-starts_at", "pk")
    else:
        show = "all"
        visits = visits.order_by("-starts_at", "pk")
    page = _page(request, visits.select_related("centre").prefetch_related("alumni__resident"))
    page.object_list = conflicts.flag_visits(page.object_list)
    return render(
        request,
        "alumni/visits.html",
        {
            "page": page,
            "show": show,
            "shows": VISIT_SHOWS,
            "can_manage": access.can(request.user, "alumni.manage"),
        },
    )


@login_required
def visit_propose(request):
    alumni_access.require_alumni_page(request.user, "alumni.manage")
    centres = access.centres_for(request.user, "alumni.manage")
    alumni = alumni_access.alumni_for(request.user, "alumni.manage").select_related("resident")
    alumni = alumni.filter(consent_decision=AlumniProfile.Decision.OPTED_IN).order_by(
        "resident__full_name"
    )
    if request.method == "POST":
        # Anyone chosen must be validated with a clear message, so offer the whole centre.
        alumni = alumni_access.alumni_for(request.user, "alumni.manage").select_related("resident")
    form = VisitForm(_data(request), centres=centres, alumni=alumni)
    if request.method == "POST" and form.is_valid():
        visit = actions.propose_visit(form, request.user)
        messages.success(request, _("The visit is proposed. Confirm it once the alumnus agrees."))
        return redirect(visit)
    return render(request, "alumni/visit_form.html", {"form": form})


@login_required
def visit_detail(request, pk):
    visit = alumni_access.get_alumni_visit(request.user, pk)
    alumni = list(visit.alumni.select_related("resident"))
    found = (
        conflicts.conflicts_for(
            visit.centre, alumni, visit.starts_at, visit.ends_at, visit.session_id, visit.pk
        )
        if visit.is_open
        else []
    )
    return render(
        request,
        "alumni/visit_detail.html",
        {
            "visit": visit,
            "alumni": alumni,
            "conflicts": found,
            "session_label": conflicts.session_label(visit.session_id),
            "can_manage": access.can(request.user, "alumni.manage", visit.centre_id),
        },
    )


@require_POST
@login_required
def visit_confirm(request, pk):
    visit = alumni_access.get_alumni_visit(request.user, pk, "alumni.manage")
    try:
        actions.confirm_visit(visit, request.user)
    except actions.RuleBroken as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The visit is confirmed."))
    return redirect(visit)


@login_required
def visit_done(request, pk):
    visit = alumni_access.get_alumni_visit(request.user, pk, "alumni.manage")
    form = VisitDoneForm(_data(request))
    try:
        actions.check_visit_done(visit)
    except actions.RuleBroken as error:
        messages.error(request, str(error))
        return redirect(visit)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_visit_done(
                visit,
                request.user,
                form.cleaned_data["feedback"],
                form.cleaned_data["residents_reached"],
            )
        except actions.RuleBroken as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. The visit is recorded as done."))
            return redirect(visit)
    return render(request, "alumni/visit_done.html", {"form": form, "visit": visit})


@login_required
def visit_cancel(request, pk):
    visit = alumni_access.get_alumni_visit(request.user, pk, "alumni.manage")
    if not visit.is_open:
        messages.info(
            request,
            _("This visit is already %(status)s.") % {"status": visit.get_status_display().lower()},
        )
        return redirect(visit)
    form = CancelVisitForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_visit(visit, request.user, form.cleaned_data["reason"])
        except actions.RuleBroken as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The visit is cancelled. It stays in the list."))
            return redirect(visit)
    return render(request, "alumni/visit_cancel.html", {"form": form, "visit": visit})
