"""Centre settings: what centre admins changed in Django admin before, in Kendra's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from . import access
from . import centre as settings_actions
from .forms import ApplyDefaultsForm, CentreSettingsForm, CheckinDefaultsForm


def _visiting_hours_url():
    try:
        return reverse("families:visiting_hours")
    except NoReverseMatch:  # the families app is not installed
        return ""


@login_required
def centre_settings(request, pk=None):
    centre, centres = access.get_admin_centre(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = CentreSettingsForm(data, instance=centre)
    defaults = CheckinDefaultsForm(data, instance=settings_actions.defaults_for(centre))
    if data is not None and form.is_valid() and defaults.is_valid():
        plans_may_follow = settings_actions.save_settings(form, defaults, request.user)
        messages.success(request, _("Centre settings saved."))
        if plans_may_follow and settings_actions.plans_differ(centre):
            return redirect("staff:apply_defaults", pk=centre.pk)
        return redirect("staff:centre_settings", pk=centre.pk)
    context = {"centre": centre, "centres": centres, "form": form, "defaults": defaults}
    context["visiting_hours_url"] = _visiting_hours_url()
    context["has_errors"] = bool(form.errors or defaults.errors)
    return render(request, "staff/centre_settings.html", context)


@login_required
def apply_defaults(request, pk):
    centre, _centres = access.get_admin_centre(request.user, pk)
    form = ApplyDefaultsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        count = settings_actions.apply_defaults(
            centre,
            request.user,
            times=form.cleaned_data["times"],
            cadence=form.cleaned_data["cadence"],
        )
        messages.success(
            request,
            _("%(count)s reminder plan(s) now follow the centre's defaults.") % {"count": count},
        )
        return redirect("staff:centre_settings", pk=centre.pk)
    context = {"centre": centre, "form": form}
    context["off_times"] = settings_actions.plans_off_times(centre).count()
    context["off_cadence"] = settings_actions.plans_off_cadence(centre).count()
    return render(request, "staff/apply_defaults.html", context)
