"""Group pages: the list, a group's page, creating, editing and archiving a group, its
members. The sessions' pages are in session_views.py, the attendance register in
register_views.py."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kendra import access

from . import access as group_access
from . import actions, replan
from .forms import GroupForm, MemberForm
from .list_forms import GroupFilterForm
from .models import ATTENDED, Attendance, GroupMember, Kind, Session, members_on
from .panels import with_links
from .stats import RATE_WEEKS, attendance_rates

PAGE_SIZE = 25


# --- groups -----------------------------------------------------------------------------


@login_required
def group_list(request):
    access.require(request.user, "groups.view")
    form = GroupFilterForm(
        request.GET or None, centre_ids=access.centre_ids_for(request.user, "groups.view")
    )
    groups = form.filter(group_access.groups_for(request.user))
    groups = groups.select_related("facilitator", "co_leader").annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True))
    )
    page = Paginator(groups.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "groups/group_list.html",
        {
            "form": form,
            "page": page,
            "can_manage": access.can(request.user, "groups.manage"),
        },
    )


def _count(rows):
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@login_required
def group_detail(request, pk):
    group = group_access.get_group(request.user, pk)
    return render(request, "groups/group_detail.html", _detail_context(request, group))


def _detail_context(request, group):
    today_ = timezone.localdate()
    members = list(members_on(group, today_).select_related("resident"))
    now = timezone.now()
    rates = attendance_rates(group=group, since=now - dt.timedelta(weeks=RATE_WEEKS))
    # Prepared here, once per page, so the roster loop only prints: one reverse() and one
    # date format per distinct day instead of per row.
    leave_prefix = reverse("groups:member_leave", args=[group.pk, 0]).rsplit("/0/leave/", 1)[0]
    leaves = _("%(name)s leaves the group")
    shown_days = {}
    for member in members:
        member.rate = rates.get(member.resident_id)
        member.leave_url = f"{leave_prefix}/{member.pk}/leave/"
        member.leave_label = leaves % {"name": member.resident.display_name}
        if member.joined_on not in shown_days:
            shown_days[member.joined_on] = (
                date_format(member.joined_on, "SHORT_DATE_FORMAT") if member.joined_on else ""
            )
        member.joined_shown = shown_days[member.joined_on]
    upcoming = with_links(
        group.sessions.filter(start__gte=now)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("facilitator")
        .order_by("start")[:7]
    )
    # Counted by subqueries, not a join + GROUP BY: the paginator's count() then drops
    # them and reads only the sessions, and the counts run for the page's 10 rows only.
    marks = Attendance.objects.filter(session=OuterRef("pk")).order_by().values("session")
    history = (
        group.sessions.filter(start__lt=now)
        .select_related("facilitator")
        .annotate(
            came=_count(marks.filter(status__in=ATTENDED)),
            marked=_count(marks),
        )
        .order_by("-start")
    )
    page = Paginator(history, 10).get_page(request.GET.get("page"))
    page.object_list = with_links(page.object_list)  # the group is known: no query
    return {
        "group": group,
        "members": members,
        "group_rate": rates.get("group"),
        "upcoming": upcoming,
        "page": page,
        "can_manage": access.can(request.user, "groups.manage", group.centre_id),
        "can_log": access.can(request.user, "attendance.log", group.centre_id)
        and (
            group.kind != Kind.THERAPY or access.can(request.user, "notes.write", group.centre_id)
        ),
    }


@login_required
def group_create(request):
    access.require(request.user, "groups.manage")
    centres = access.centres_for(request.user, "groups.manage")
    form = GroupForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        group = actions.save_group(form, request.user)
        if form.capacity_warning:
            messages.warning(request, form.capacity_warning)
        actions.generate_sessions(group)
        messages.success(request, _("The group %(name)s was created.") % {"name": group})
        return redirect(group)
    return render(request, "groups/group_form.html", {"form": form})


@login_required
def group_edit(request, pk):
    """Editing the schedule re-plans the future sessions (groups/replan.py): the change
    is shown first and saved only when confirmed."""
    group = group_access.get_group(request.user, pk, "groups.manage")
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        change = replan.plan(form.instance)  # the posted schedule against saved sessions
        if change and "confirm" not in request.POST:
            context = {"form": form, "group": group, "change": change}
            return render(request, "groups/group_form.html", context)
        done = replan.save_schedule(form, request.user)
        if form.capacity_warning:
            messages.warning(request, form.capacity_warning)
        messages.success(request, _("Changes saved.") + (f" {done.summary()}" if done else ""))
        return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@login_required
def group_archive(request, pk):
    group = group_access.get_group(request.user, pk, "groups.manage")
    if request.method == "POST":
        actions.archive_group(group, request.user)
        messages.success(
            request,
            _("%(name)s is archived. Its history is kept; planned sessions were cancelled.")
            % {"name": group},
        )
        return redirect(group)
    return render(request, "groups/group_archive.html", {"group": group})


@login_required
@require_POST
def group_generate(request, pk):
    group = group_access.get_group(request.user, pk, "groups.manage")
    made = actions.generate_sessions(group)
    messages.success(request, _("%(n)s new sessions planned for the next 14 days.") % {"n": made})
    return redirect(group)


@login_required
def member_add(request, pk):
    group = group_access.get_group(request.user, pk, "groups.manage")
    form = MemberForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        resident = form.cleaned_data["resident"]
        actions.add_member(group, resident, form.cleaned_data["joined_on"], request.user)
        messages.success(request, _("%(name)s joined the group.") % {"name": resident})
        return redirect(group)
    return render(request, "groups/member_form.html", {"form": form, "group": group})


@login_required
@require_POST
def member_leave(request, pk, member_pk):
    group = group_access.get_group(request.user, pk, "groups.manage")
    member = get_object_or_404(
        GroupMember.objects.select_related("resident"),
        group=group,
        pk=member_pk,
        left_on__isnull=True,
    )
    actions.remove_member(member, request.user)
    messages.success(
        request, _("%(name)s left the group. Their attendance is kept.") % {"name": member.resident}
    )
    return redirect(group)
