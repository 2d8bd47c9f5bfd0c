from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions, audit, navigation, panels, providers, stays
from .forms import DischargeForm, ResidentForm, text_param
from .middleware import SESSION_KEY
from .models import Profile, Resident
from .stay_forms import StageForm
from .stays import Stage, StayRefused

PAGE_SIZE = 25


@login_required
def home(request):
    return render(request, "kendra/home.html", _home_context(request))


def _home_context(request):
    user = request.user
    context = {
        "panels": panels.home_panels.render_list(request),
        "sections": navigation.sections_for(user),
        "roles": sorted(access.roles(user)),
        "admitted_count": None,
    }
    if access.can(user, "residents.list"):
        residents = access.residents_for(user, "residents.list")
        context["admitted_count"], context["preparing"] = stays.preparing_without_plan(
            residents, providers.has_discharge_plan
        )
    return context


@login_required
def resident_list(request):
    access.require(request.user, "residents.list")
    status = request.GET.get("status", "admitted")
    query = text_param(request.GET, "q")
    residents = access.residents_for(request.user, "residents.list").select_related("centre")
    if status in Resident.Status.values:
        residents = residents.filter(status=status)
    stage = request.GET.get("stage", "")
    residents = stays.with_stage(residents, stage if stage in Stage.values else "")
    residents = residents.search(query).order_by("full_name", "pk")
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "kendra/resident_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": Resident.Status.choices,
            "stage": stage,
            "stages": Stage.choices,
            "show_centre": len(access.centre_ids_for(request.user, "residents.list")) > 1,
        },
    )


@login_required
def resident_detail(request, pk):
    resident = access.get_resident(request.user, pk)  # the page shows the centre: joined
    audit.record(request.user, "resident.viewed", resident)
    stays = list(resident.stays.prefetch_related("stage_changes__by").order_by("-admission_date"))
    return render(
        request,
        "kendra/resident_detail.html",
        {
            "resident": resident,
            "stays": stays,
            "current_stay": stays[0] if stays and stays[0].is_open else None,
            "stage_form": StageForm() if stays and stays[0].is_open else None,
            "can_edit": access.can(request.user, "residents.edit", resident.centre_id),
            "panels": panels.resident_panels.render_list(request, resident),
        },
    )


@login_required
def resident_create(request):
    access.require(request.user, "residents.edit")
    centres = access.centres_for(request.user, "residents.edit")
    form = ResidentForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        resident = actions.admit_resident(form, request.user)
        messages.success(request, _("%(name)s has been admitted.") % {"name": resident})
        return redirect(resident)
    return render(request, "kendra/resident_form.html", {"form": form})


@login_required
def resident_edit(request, pk):
    resident = access.get_resident(request.user, pk, "residents.edit")
    form = ResidentForm(request.POST or None, instance=resident)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_resident(form, request.user)
        except StayRefused as refused:
            form.add_error("admission_date", str(refused))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(resident)
    return render(request, "kendra/resident_form.html", {"form": form, "resident": resident})


@login_required
def resident_discharge(request, pk):
    resident = access.get_resident(request.user, pk, "residents.discharge")
    if not resident.is_admitted:
        messages.info(request, _("%(name)s has already been discharged.") % {"name": resident})
        return redirect(resident)
    form = DischargeForm(request.POST or None, instance=resident)
    if request.method == "POST" and form.is_valid():
        try:
            actions.discharge_resident(form, request.user)
        except StayRefused as refused:
            form.add_error(None, str(refused))
            return render(
                request, "kendra/resident_discharge.html", {"form": form, "resident": resident}
            )
        except ValueError:
            messages.info(request, _("%(name)s has already been discharged.") % {"name": resident})
        else:
            messages.success(
                request,
                _("%(name)s has been discharged. The record is kept.") % {"name": resident},
            )
        return redirect(resident)
    return render(request, "kendra/resident_discharge.html", {"form": form, "resident": resident})


@require_POST
def switch_language(request):
    """Switch the interface language and remember it for a signed-in person."""
    lang = request.POST.get("language")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    if lang in dict(settings.LANGUAGES):
        translation.activate(lang)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax"
        )
        if request.user.is_authenticated:
            Profile.objects.update_or_create(user=request.user, defaults={"language": lang})
            request.session[SESSION_KEY] = lang
    return response


@login_required
@require_POST
def switch_centre(request):
    """The header's centre switcher: the centre to work in, remembered for the person;
    empty for all of their centres. A centre not theirs is 404, never a hint."""
    access.require_staff(request.user)
    chosen = request.POST.get("centre", "")
    if chosen and (
        not chosen.isdigit() or int(chosen) not in access.all_roles_by_centre(request.user)
    ):
        raise Http404
    actions.show_centre(request.user, int(chosen) if chosen else None)
    return redirect("home")
