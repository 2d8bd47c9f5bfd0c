from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kendra import access, once
from kendra.forms import text_param
from kendra.models import Consent
from kendra.ratelimits import token_page

from . import access as family_access
from . import actions, calendar, visiting
from .forms import (
    AcceptInvitationForm,
    CancelMeetingForm,
    FamilyGroupForm,
    InvitationForm,
    MeetingForm,
    VisitingHoursForm,
)
from .models import FamilyGroup, FamilyMeeting, FamilyMember, Invitation

PAGE_SIZE = 25

# --- staff: family groups and meetings --------------------------------------------------


@login_required
def group_list(request):
    access.require(request.user, "families.manage")
    query = text_param(request.GET, "q")
    groups = (
        family_access.family_groups(request.user)
        .filter(centre_id__in=access.centre_ids_for(request.user, "families.manage"))
        .select_related("facilitator")
        .annotate(families=Count("residents", distinct=True))
        .order_by("-is_active", "name", "pk")
    )
    if query:
        groups = groups.filter(name__icontains=query)
    meetings = (
        family_access.staff_family_meetings(request.user)
        .filter(centre_id__in=access.centre_ids_for(request.user, "families.manage"))
        .upcoming()
        .with_answers()
        .select_related("group", "resident")
    )
    return render(
        request,
        "families/group_list.html",
        {
            "groups": Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page")),
            "meetings": meetings[:15],
            "query": query,
        },
    )


@login_required
def group_create(request):
    access.require(request.user, "families.manage")
    centres = access.centres_for(request.user, "families.manage")
    form = FamilyGroupForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        group = actions.save_group(form, request.user)
        messages.success(request, _("Family group %(name)s saved.") % {"name": group})
        return redirect("families:group_detail", group.pk)
    return render(request, "families/group_form.html", {"form": form})


@login_required
def group_edit(request, pk):
    group = family_access.get_family_group(request.user, pk)
    form = FamilyGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        actions.save_group(form, request.user)
        actions.generate_meetings(group)
        messages.success(request, _("Changes saved."))
        return redirect("families:group_detail", group.pk)
    return render(request, "families/group_form.html", {"form": form, "group": group})


@login_required
def group_detail(request, pk):
    group = family_access.get_family_group(request.user, pk)
    meetings = group.meetings.all()
    past = Paginator(meetings.past(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "families/group_detail.html",
        {
            "group": group,
            "upcoming": meetings.upcoming().with_answers()[:20],
            "past": past,
            "residents": group.residents.order_by("full_name"),
        },
    )


@login_required
def meeting_create(request, pk):
    group = family_access.get_family_group(request.user, pk)
    form = MeetingForm(
        request.POST or None,
        instance=FamilyMeeting(group=group, centre=group.centre),
        initial={"place": group.place, "online_link": group.online_link},
    )
    if request.method == "POST" and form.is_valid():
        actions.add_meeting(form, request.user, group=group)
        messages.success(request, _("Meeting added."))
        return redirect("families:group_detail", group.pk)
    return render(request, "families/meeting_form.html", {"form": form, "group": group})


@login_required
def session_create(request, resident_pk):
    resident = access.get_resident(request.user, resident_pk, "families.manage")
    form = MeetingForm(
        request.POST or None, instance=FamilyMeeting(resident=resident, centre=resident.centre)
    )
    if request.method == "POST" and form.is_valid():
        actions.add_meeting(form, request.user, resident=resident)
        messages.success(request, _("Family session added."))
        return redirect("families:resident_family", resident.pk)
    return render(request, "families/meeting_form.html", {"form": form, "resident": resident})


def _meeting_back(meeting):
    if meeting.group_id:
        return reverse("families:group_detail", args=[meeting.group_id])
    return reverse("families:resident_family", args=[meeting.resident_id])


@login_required
def meeting_edit(request, pk):
    meeting = family_access.get_family_meeting(request.user, pk)
    if meeting.is_cancelled:
        messages.info(request, _("This meeting is cancelled and cannot be changed."))
        return redirect(_meeting_back(meeting))
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            actions.change_meeting(form, request.user)
        messages.success(request, _("Meeting changed. Families will see what changed."))
        return redirect(_meeting_back(meeting))
    return render(
        request,
        "families/meeting_form.html",
        {"form": form, "meeting": meeting, "back": _meeting_back(meeting)},
    )


@login_required
def meeting_cancel(request, pk):
    meeting = family_access.get_family_meeting(request.user, pk)
    if meeting.is_cancelled:
        messages.info(request, _("This meeting is already cancelled."))
        return redirect(_meeting_back(meeting))
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.cancel_meeting(meeting, form.cleaned_data["reason"], request.user)
        messages.success(request, _("Meeting cancelled. Families will see the reason."))
        return redirect(_meeting_back(meeting))
    return render(
        request,
        "families/meeting_cancel.html",
        {"form": form, "meeting": meeting, "back": _meeting_back(meeting)},
    )


# --- staff: visiting hours --------------------------------------------------------------


@login_required
def visiting_hours(request):
    access.require(request.user, "families.manage")
    rows = (
        family_access.staff_visiting_hours(request.user)
        .filter(centre_id__in=access.centre_ids_for(request.user, "families.manage"))
        .select_related("centre")
        .order_by("-is_active", "centre__name", "weekday", "start_time", "pk")
    )
    return render(
        request,
        "families/visiting_list.html",
        {"rows": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))},
    )


@login_required
def visiting_create(request):
    access.require(request.user, "families.manage")
    centres = access.centres_for(request.user, "families.manage")
    form = VisitingHoursForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        actions.save_visiting_hours(form, request.user)
        messages.success(request, _("Visiting hours saved. Families will see them."))
        return redirect("families:visiting_hours")
    return render(request, "families/visiting_form.html", {"form": form})


@login_required
def visiting_edit(request, pk):
    hours = family_access.get_visiting_hours(request.user, pk)
    form = VisitingHoursForm(request.POST or None, instance=hours)
    if request.method == "POST" and form.is_valid():
        actions.save_visiting_hours(form, request.user)
        messages.success(request, _("Changes saved."))
        return redirect("families:visiting_hours")
    return render(request, "families/visiting_form.html", {"form": form, "hours": hours})


@login_required
def visiting_status(request, pk):
    """Confirm, then deactivate (or bring back) visiting hours. Nothing is deleted."""
    hours = family_access.get_visiting_hours(request.user, pk)
    if request.method == "POST":
        actions.set_visiting_hours_active(hours, not hours.is_active, request.user)
        if hours.is_active:
            messages.success(request, _("These visiting hours are shown to families again."))
        else:
            messages.success(
                request, _("These visiting hours are no longer shown to families. They are kept.")
            )
        return redirect("families:visiting_hours")
    return render(request, "families/visiting_status.html", {"hours": hours})


# --- staff: a resident's family ---------------------------------------------------------


@login_required
def resident_family(request, resident_pk):
    resident = access.get_resident(request.user, resident_pk, "families.manage")
    links = list(
        FamilyMember.objects.filter(resident=resident).select_related("user").order_by("pk")
    )
    allowed = set(
        Consent.objects.filter(
            resident=resident,
            purpose=Consent.Purpose.FAMILY_SCHEDULE,
            withdrawn_at__isnull=True,
            grantee__in=[link.user_id for link in links],
        ).values_list("grantee_id", flat=True)
    )
    for link in links:
        link.has_access = link.user_id in allowed
    invitations = Invitation.objects.filter(resident=resident, used_at__isnull=True).order_by(
        "-created_at"
    )[:10]
    sessions = FamilyMeeting.objects.filter(resident=resident).order_by("-starts_at")[:20]
    return render(
        request,
        "families/resident_family.html",
        {
            "resident": resident,
            "links": links,
            "invitations": invitations,
            "sessions": sessions,
            "groups": resident.family_groups.filter(is_active=True),
            "now": timezone.now(),
        },
    )


@login_required
def invite(request, resident_pk):
    resident = access.get_resident(request.user, resident_pk, "families.manage")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            actions.invite(
                form,
                resident,
                request.user,
                lambda token: request.build_absolute_uri(reverse("families:accept", args=[token])),
            )
        messages.success(
            request,
            _("Invitation sent to %(name)s. The link works once, for 7 days.")
            % {"name": form.instance.name},
        )
        return redirect("families:resident_family", resident.pk)
    return render(request, "families/invite.html", {"form": form, "resident": resident})


@login_required
def revoke(request, pk):
    link = family_access.get_family_link(request.user, pk)
    if request.method == "POST":
        actions.revoke_access(link, request.user)
        messages.success(
            request,
            _("%(name)s can no longer see the schedule.")
            % {"name": link.user.get_full_name() or link.user.username},
        )
        return redirect("families:resident_family", link.resident_id)
    return render(request, "families/revoke.html", {"link": link})


# --- the invited family member (no login yet) -------------------------------------------

INVITATION_PROBLEMS = {
    "unknown": gettext_lazy("This invitation link is not valid. Ask the centre to send a new one."),
    "used": gettext_lazy(
        "This invitation link has already been used. Sign in with your username, or ask the centre for a new link."
    ),
    "expired": gettext_lazy("This invitation link has expired. Ask the centre to send a new one."),
}


@token_page("invitation")
def accept(request, token):
    try:
        invitation = actions.find_invitation(token)
    except actions.InvitationError as problem:
        return render(
            request,
            "families/accept_problem.html",
            {"problem": _(INVITATION_PROBLEMS[str(problem)])},
            status=410 if str(problem) != "unknown" else 404,
        )
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.accept_invitation(token, form)
        except actions.InvitationError as problem:
            return render(
                request,
                "families/accept_problem.html",
                {"problem": _(INVITATION_PROBLEMS[str(problem)])},
                status=410,
            )
        login(request, user, backend="kendra.backends.MembershipBackend")
        messages.success(request, _("Welcome. Here are your family meetings."))
        return redirect("families:schedule")
    return render(request, "families/accept.html", {"form": form, "invitation": invitation})


# --- the family member's own pages ------------------------------------------------------


def _require_family(user):
    """A family member with at least one consent in force; anyone else sees nothing."""
    ids = family_access.family_resident_ids(user)
    if not ids:
        raise PermissionDenied
    return ids


@login_required
def schedule(request):
    ids = family_access.family_resident_ids(request.user)  # consent read fresh, every request
    return render(request, "families/schedule.html", _schedule_context(request, ids))


def _schedule_context(request, ids):
    meetings = family_access.family_meetings(request.user, ids).select_related("group")
    now = timezone.now()
    past = meetings.past(now).exclude(status=FamilyMeeting.Status.CANCELLED)
    hours = family_access.family_visiting_hours(request.user, ids).select_related("centre")
    return {
        "has_access": bool(ids),
        "visits": visiting.upcoming_visits(hours, now) if ids else [],
        "visiting_days": visiting.WINDOW_DAYS,
        "upcoming": actions.attach_answers(request.user, meetings.upcoming(now)[:30]),
        "past": Paginator(past, 10).get_page(request.GET.get("page")),
    }


@login_required
def calendar_page(request):
    """How to add the meetings to a phone calendar. The link is shown once, right after
    it is made (POST): only a hash of it is kept. A second link replaces the first only
    through the confirmation of calendar_reset."""
    _require_family(request.user)
    has_link = actions.calendar_feed(request.user) is not None
    if request.method == "POST":
        if has_link:
            return redirect("families:calendar_reset")
        return _show_link(actions.new_calendar_link(request.user))
    token = once.take(request, NEW_FEED)
    if token is None:
        return render(request, "families/calendar.html", {"has_link": has_link})
    url = request.build_absolute_uri(reverse("families:feed", args=[token]))
    context = {"has_link": True, "feed_url": url, "webcal_url": "webcal://" + url.split("://")[1]}
    response = render(request, "families/calendar.html", context)
    return once.forget(request, response, NEW_FEED)


@login_required
def calendar_reset(request):
    _require_family(request.user)
    if request.method == "POST":
        token = actions.new_calendar_link(request.user)
        messages.success(
            request,
            _(
                "Your calendar link has been changed. The old link no longer works: add the new one to your phone."
            ),
        )
        return _show_link(token)
    return render(request, "families/calendar_reset.html")


NEW_FEED = "kendra_new_calendar_link"


def _show_link(token):
    """To the calendar page, which shows the new link this once (kendra/once.py)."""
    return once.redirect_showing(reverse("families:calendar"), NEW_FEED, token)


@token_page("feed")
def feed(request, token):
    """The public calendar feed: no login, a random token, 404 once access ends."""
    found = actions.find_feed(token)
    if found is None or not found.user.is_active:
        raise Http404
    ids = family_access.family_resident_ids(found.user)
    if not ids:
        raise Http404
    body = _feed_body(found.user, ids)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kendra.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def _feed_body(user, ids):
    # Upcoming only: the feed mirrors "what is coming"; history stays on the page.
    meetings = family_access.family_meetings(user, ids).upcoming().select_related("group")
    hours = family_access.family_visiting_hours(user, ids).select_related("centre")
    return calendar.build(meetings, visits=visiting.upcoming_visits(hours))


def upcoming_for_home(request):
    """Home panel: the next few meetings, for a family member with access."""
    user = request.user
    if access.is_staff_member(user):
        return None
    ids = family_access.family_resident_ids(user)
    if not ids:
        return None
    meetings = family_access.family_meetings(user, ids).upcoming().select_related("group")[:3]
    return {"meetings": meetings}


def resident_panel(request, resident):
    if not access.can(request.user, "families.manage", resident.centre_id):
        return None
    return {
        "resident": resident,
        "count": FamilyMember.objects.filter(resident=resident).count(),
        "groups": list(
            FamilyGroup.objects.filter(residents=resident, is_active=True).values_list(
                "name", flat=True
            )
        ),
    }
