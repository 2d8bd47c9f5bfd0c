"""Alumni pages: the directory, the decisions queue, an alumnus's page and what is recorded
there (profile, consent, relapse), the milestones. Visits are in visit_views.py, follow-ups
in followup_views.py, success stories in story_views.py, the home panels in panels.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kendra import access, audit
from kendra.forms import text_param

from . import access as alumni_access
from . import actions, milestones, queries
from .forms import ConsentForm, ProfileForm, RelapseForm
from .models import AlumniProfile
from .queries import SOBER_FILTERS

PAGE_SIZE = 25


def _data(request):
    # An empty POST is still a submission: it must show errors, not a blank form.
    return request.POST if request.method == "POST" else None


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- alumni ----------------------------------------------------------------------------


@login_required
def directory(request):
    alumni_access.require_alumni_page(request.user)
    centre_ids = access.centre_ids_for(request.user, "alumni.view")
    query, city = text_param(request.GET, "q"), text_param(request.GET, "city")
    sober, available = request.GET.get("sober", ""), request.GET.get("available", "")
    alumni = (
        alumni_access.alumni_for(request.user)
        .select_related("resident", "centre")
        .with_consent()
        .search(query)
    )
    alumni = queries.directory_filter(alumni, city, sober, available)
    return render(
        request,
        "alumni/directory.html",
        {
            "page": _page(request, alumni.order_by("resident__full_name", "pk")),
            "query": query,
            "city": city,
            "cities": list(queries.cities(centre_ids)),
            "sober": sober,
            "sober_filters": SOBER_FILTERS,
            "available": available,
            "pending_count": AlumniProfile.objects.filter(centre_id__in=centre_ids)
            .pending_decision()
            .count(),
            "show_centre": len(centre_ids) > 1,
        },
    )


@login_required
def queue(request):
    alumni_access.require_alumni_page(request.user)
    alumni = (
        alumni_access.alumni_for(request.user)
        .pending_decision()
        .select_related("resident", "centre")
        .order_by("resident__discharge_date", "pk")
    )
    return render(request, "alumni/queue.html", {"page": _page(request, alumni)})


@login_required
def detail(request, pk):
    profile = alumni_access.get_alumnus(request.user, pk)
    audit.record(request.user, "alumni.viewed", profile, resident=profile.resident)
    today = timezone.localdate()
    sober = profile.resident.sobriety_date
    context = {
        "profile": profile,
        "resident": profile.resident,
        "consent": profile.contact_consent(),
        "can_manage": access.can(request.user, "alumni.manage", profile.centre_id),
        "followups": list(profile.followups.all()),
        "visits": profile.visits.order_by("-starts_at")[:10],
        "relapses": profile.relapses.select_related("recorded_by"),
        "milestones": [
            {"label": milestones.label(key), "on": on, "past": on < today}
            for key, on in milestones.milestone_dates(sober)
        ]
        if sober
        else [],
        "days_sober": profile.resident.days_sober(today),
        "today": today,
    }
    return render(request, "alumni/detail.html", context)


@login_required
def edit(request, pk):
    profile = alumni_access.get_alumnus(request.user, pk, "alumni.manage")
    form = ProfileForm(_data(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        actions.update_profile(form, request.user)
        messages.success(request, _("Changes saved."))
        return redirect(profile)
    return render(request, "alumni/form.html", {"form": form, "profile": profile})


@login_required
def consent(request, pk):
    profile = alumni_access.get_alumnus(request.user, pk, "alumni.manage")
    form = ConsentForm(_data(request))
    if request.method == "POST" and form.is_valid():
        actions.record_consent(
            profile, form.cleaned_data["decision"], request.user, form.cleaned_data["note"]
        )
        messages.success(request, _("Their decision has been recorded."))
        return redirect(request.POST.get("next") == "queue" and "alumni:queue" or profile)
    return render(
        request,
        "alumni/consent.html",
        {"form": form, "profile": profile, "from_queue": request.GET.get("next") == "queue"},
    )


@login_required
def relapse(request, pk):
    profile = alumni_access.get_alumnus(request.user, pk, "alumni.manage")
    form = RelapseForm(_data(request), profile=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_relapse(
                profile, data["relapsed_on"], data["new_sobriety_date"], request.user, data["note"]
            )
        except actions.RuleBroken as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The relapse is recorded. The earlier sobriety date is kept in history.")
            )
            return redirect(profile)
    return render(request, "alumni/relapse.html", {"form": form, "profile": profile})


@login_required
def milestone_list(request):
    alumni_access.require_alumni_page(request.user)
    first, last = milestones.month_bounds()
    found = milestones.milestones_between(
        first, last, access.centre_ids_for(request.user, "alumni.view")
    )
    return render(
        request,
        "alumni/milestones.html",
        {"milestones": found, "first": first, "today": timezone.localdate()},
    )
