import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kendra import access, audit
from kendra.forms import int_param, text_param
from kendra.models import Role
from mentors import access as mentor_access

from . import access as alumni_access
from . import actions, conflicts, milestones, queries
from .forms import (
    CancelVisitForm,
    ConsentForm,
    FollowUpOutcomeForm,
    ProfileForm,
    PublishStoryForm,
    RelapseForm,
    StoryForm,
    VisitDoneForm,
    VisitForm,
)
from .models import AlumniProfile, FollowUp, Visit

PAGE_SIZE = 25
SOBER_FILTERS = [
    ("90", gettext_lazy("90 days or more")),
    ("180", gettext_lazy("6 months or more")),
    ("365", gettext_lazy("1 year or more")),
    ("730", gettext_lazy("2 years or more")),
]


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
    if city:
        alumni = alumni.filter(city__iexact=city)
    if sober in dict(SOBER_FILTERS):
        cutoff = timezone.localdate() - dt.timedelta(days=int(sober))
        alumni = alumni.filter(resident__sobriety_date__lte=cutoff)
    if available == "visits":
        alumni = alumni.filter(available_for_visits=True, contact_ok=True)
    elif available == "mentor":
        alumni = alumni.filter(can_mentor=True, contact_ok=True)
    cities = (
        AlumniProfile.objects.filter(centre_id__in=centre_ids)
        .exclude(city="")
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )
    return render(
        request,
        "alumni/directory.html",
        {
            "page": _page(request, alumni.order_by("resident__full_name", "pk")),
            "query": query,
            "city": city,
            "cities": list(cities),
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


# --- visits ----------------------------------------------------------------------------

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


# --- follow-ups ------------------------------------------------------------------------

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


# --- success stories -------------------------------------------------------------------

STORY_SHOWS = [
    ("all", gettext_lazy("All")),
    ("draft", gettext_lazy("Drafts")),
    ("published", gettext_lazy("Published")),
    ("withdrawn", gettext_lazy("Consent withdrawn")),
]


@login_required
def stories(request):
    """Coordinators: every story of their centres, drafts and withdrawn ones too."""
    alumni_access.require_alumni_page(request.user, "alumni.manage")
    show = request.GET.get("show", "all")
    found = alumni_access.alumni_stories_for(request.user)
    if show == "draft":
        found = found.filter(published=False)
    elif show == "published":
        found = found.visible()
    elif show == "withdrawn":
        found = found.filter(published=True, consent__withdrawn_at__isnull=False)
    else:
        show = "all"
    page = _page(
        request,
        found.select_related("profile__resident", "consent").order_by("-created_at", "-pk"),
    )
    return render(
        request, "alumni/stories.html", {"page": page, "show": show, "shows": STORY_SHOWS}
    )


@login_required
def story_create(request):
    alumni_access.require_alumni_page(request.user, "alumni.manage")
    alumni = (
        alumni_access.alumni_for(request.user, "alumni.manage")
        .select_related("resident")
        .order_by("resident__full_name", "pk")
    )
    profile = int_param(request.GET.get("profile"))
    initial = {} if profile is None else {"profile": profile}
    form = StoryForm(_data(request), alumni=alumni, initial=initial)
    if request.method == "POST" and form.is_valid():
        story = actions.save_story(form, request.user)
        messages.success(
            request,
            _("The story is saved as a draft. It is published only once they agree to it."),
        )
        return redirect(story)
    return render(request, "alumni/story_form.html", {"form": form, "story": None})


@login_required
def story_detail(request, pk):
    story = alumni_access.get_alumni_story(request.user, pk)
    return render(request, "alumni/story_detail.html", {"story": story})


@login_required
def story_edit(request, pk):
    story = alumni_access.get_alumni_story(request.user, pk)
    try:
        actions.check_story_editable(story)
    except actions.RuleBroken as error:
        messages.error(request, str(error))
        return redirect(story)
    alumni = alumni_access.alumni_for(request.user, "alumni.manage").select_related("resident")
    form = StoryForm(_data(request), instance=story, alumni=alumni)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_story(form, request.user)
        except actions.RuleBroken as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(story)
    return render(request, "alumni/story_form.html", {"form": form, "story": story})


@login_required
def story_publish(request, pk):
    story = alumni_access.get_alumni_story(request.user, pk)
    if story.published:
        messages.info(request, _("This story has already been published."))
        return redirect(story)
    form = PublishStoryForm(_data(request), story=story)
    if request.method == "POST" and form.is_valid():
        try:
            actions.publish_story(
                story, request.user, form.cleaned_data["consent_given"], form.cleaned_data["note"]
            )
        except actions.RuleBroken as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Their consent is recorded and the story is published inside Kendra.")
            )
            return redirect(story)
    return render(request, "alumni/story_publish.html", {"form": form, "story": story})


@login_required
def story_withdraw(request, pk):
    story = alumni_access.get_alumni_story(request.user, pk)
    if not story.is_visible:
        messages.info(request, _("This story is not published, so there is nothing to withdraw."))
        return redirect(story)
    if request.method == "POST":
        try:
            actions.withdraw_story(story, request.user)
        except actions.RuleBroken as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Consent withdrawn. The story is hidden from everyone now; it is kept, not deleted."
                ),
            )
        return redirect(story)
    return render(request, "alumni/story_withdraw.html", {"story": story})


@login_required
def published_stories(request):
    """The "Stories" page: any staff member of the centre reads what alumni agreed to share."""
    alumni_access.require_alumni_page(request.user, "stories.read")
    found = alumni_access.published_stories_for(request.user).select_related("profile__resident")
    page = _page(request, found.order_by("-published_at", "-pk"))
    return render(request, "alumni/published_stories.html", {"page": page})


# --- home panel ------------------------------------------------------------------------


HOME_MILESTONES = 8  # the rest are one tap away on the milestones page


def home_panel(request):
    """Coordinators' home: visits this week, follow-ups, milestones, people not reached."""
    user = request.user
    if not access.can(user, "alumni.view"):
        return None
    centre_ids = access.centre_ids_for(user, "alumni.view")
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    followups = FollowUp.objects.filter(centre_id__in=centre_ids)
    this_month = milestones.milestones_this_month(centre_ids, today)
    return {
        "visits": list(
            queries.visits_between(today, week_end, centre_ids).order_by("starts_at")[:5]
        ),
        "due": followups.due(today).count(),
        "overdue": followups.overdue(today).count(),
        "milestones": this_month[:HOME_MILESTONES],
        "more_milestones": len(this_month) > HOME_MILESTONES,
        "not_reached": queries.not_reached(centre_ids, today).count(),
    }


def mentor_milestones_panel(request):
    """Mentors' home: milestones coming up this month for their own mentees (active pairings)."""
    user = request.user
    if not access.has_role(user, Role.MENTOR):
        return None
    today = timezone.localdate()
    first, last = milestones.month_bounds(today)
    mentees = [
        pairing.mentee
        for pairing in mentor_access.mentee_pairings(user)
        .filter(ended_at__isnull=True)
        .select_related("mentee")
    ]
    found = [m for m in milestones.milestones_for_residents(mentees, first, last) if m.on >= today]
    return {"milestones": found}
