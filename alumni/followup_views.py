"""Follow-ups after discharge: the list and recording an outcome."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kendra import access

from . import access as alumni_access
from . import actions
from .forms import FollowUpOutcomeForm
from .models import FollowUp
from .views import _data, _page

FOLLOWUP_SHOWS = [
    ("due", gettext_lazy("Due now")),
    ("overdue", gettext_lazy("Overdue")),
    ("upcoming", gettext_lazy("Coming up")),
    ("done", gettext_lazy("Recorded")),
]


@login_required
def followups(request):
    alumni_access.require_alumni_page(request.user)
    today = timezone.localdate()
    show = request.GET.get("show", "due")
    followups = alumni_access.alumni_followups_for(request.user)
    if show == "overdue":
        followups = followups.overdue(today).order_by("due_on", "pk")
    elif show == "upcoming":
        followups = (
            followups.open()
            .filter(due_on__gt=today + dt.timedelta(days=7))
            .order_by("due_on", "pk")
        )
    elif show == "done":
        followups = followups.exclude(outcome="").order_by("-recorded_at", "pk")
    else:
        show = "due"
        followups = followups.due(today).order_by("due_on", "pk")
    centre_ids = access.centre_ids_for(request.user, "alumni.view")
    page = _page(request, followups.select_related("profile__resident", "centre"))
    for followup in page.object_list:
        followup.state_now = followup.state(today)
    return render(
        request,
        "alumni/followups.html",
        {
            "page": page,
            "show": show,
            "shows": FOLLOWUP_SHOWS,
            "rate": actions.reach_rate(centre_ids, today),
            "overdue_count": FollowUp.objects.filter(centre_id__in=centre_ids)
            .overdue(today)
            .count(),
            "can_manage": access.can(request.user, "alumni.manage"),
        },
    )


@login_required
def followup_outcome(request, pk):
    followup = alumni_access.get_alumni_followup(request.user, pk, "alumni.manage")
    form = FollowUpOutcomeForm(_data(request), followup=followup)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_followup_outcome(
                followup, form.cleaned_data["outcome"], request.user, form.cleaned_data["note"]
            )
        except actions.RuleBroken as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect("alumni:followups")
    return render(request, "alumni/followup_form.html", {"form": form, "followup": followup})
