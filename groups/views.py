import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kendra import access, audit

from . import actions
from .forms import (
    AddendumForm,
    CancelForm,
    GroupFilterForm,
    GroupForm,
    MemberForm,
    RegisterForm,
    RosterForm,
    SessionForm,
    WalkInForm,
)
from .models import ATTENDED, Attendance, GroupMember, Session, local_day_bounds, members_on
from .panels import with_links
from .stats import RATE_WEEKS, attendance_rates

PAGE_SIZE = 25


def _notes_flags(user, session):
    """(may see notes, may edit notes) for this user on this session."""
    group = session.group
    view = group.notes_allowed and access.can(user, "notes.view", group.centre_id)
    write = view and access.can(user, "notes.write", group.centre_id) and not session.is_signed
    return view, write


def session_roster(session):
    """[(resident, attendance or None)]: the members on the session's day plus anyone
    already marked (walk-ins, people who left since), in name order."""
    attendances = {a.resident_id: a for a in session.attendances.select_related("resident").all()}
    roster = {a.resident_id: (a.resident, a) for a in attendances.values()}
    for member in members_on(session.group, session.local_date).select_related("resident"):
        roster.setdefault(member.resident_id, (member.resident, None))
    return sorted(roster.values(), key=lambda pair: (pair[0].full_name, pair[0].pk))


# --- groups -----------------------------------------------------------------------------


@login_required
def group_list(request):
    access.require(request.user, "groups.view")
    form = GroupFilterForm(
        request.GET or None, centre_ids=access.centre_ids_for(request.user, "groups.view")
    )
    groups = form.filter(access.groups_for(request.user))
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


@login_required
def today(request):
    access.require(request.user, "groups.view")
    start, end = local_day_bounds(timezone.localdate())
    sessions = (
        access.sessions_for(request.user)
        .filter(start__gte=start, start__lt=end)
        .select_related("group", "facilitator")
        .order_by("start")
    )
    sessions = with_links(sessions)
    mine = [s for s in sessions if s.facilitator_id == request.user.pk]
    others = [s for s in sessions if s.facilitator_id != request.user.pk]
    return render(
        request,
        "groups/today.html",
        {
            "mine": mine,
            "others": others,
            "can_log": access.can(request.user, "attendance.log"),
        },
    )


def _count(rows):
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@login_required
def group_detail(request, pk):
    group = access.get_group(request.user, pk)
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
        "can_log": access.can(request.user, "attendance.log", group.centre_id),
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
    group = access.get_group(request.user, pk, "groups.manage")
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        actions.save_group(form, request.user)
        if form.capacity_warning:
            messages.warning(request, form.capacity_warning)
        messages.success(request, _("Changes saved."))
        return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@login_required
def group_archive(request, pk):
    group = access.get_group(request.user, pk, "groups.manage")
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
    group = access.get_group(request.user, pk, "groups.manage")
    made = actions.generate_sessions(group)
    messages.success(request, _("%(n)s new sessions planned for the next 14 days.") % {"n": made})
    return redirect(group)


@login_required
def member_add(request, pk):
    group = access.get_group(request.user, pk, "groups.manage")
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
    group = access.get_group(request.user, pk, "groups.manage")
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


# --- sessions ---------------------------------------------------------------------------


@login_required
def session_create(request, pk):
    group = access.get_group(request.user, pk, "groups.manage")
    form = SessionForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        session = actions.create_session(form, group, request.user)
        messages.success(request, _("Session added."))
        return redirect(session)
    return render(request, "groups/session_form.html", {"form": form, "group": group})


@login_required
def session_detail(request, pk):
    session = access.get_session(request.user, pk)
    see_notes, _write = _notes_flags(request.user, session)
    addenda = []
    if see_notes:
        addenda = session.addenda.select_related("resident", "written_by")
        audit.record(request.user, "session.notes_viewed", session)
    c = session.group.centre_id
    return render(
        request,
        "groups/session_detail.html",
        {
            "session": session,
            "group": session.group,
            "roster": session_roster(session),
            "see_notes": see_notes,
            "addenda": addenda,
            "can_log": access.can(request.user, "attendance.log", c),
            "can_sign": access.can(request.user, "notes.write", c),
            "can_manage": access.can(request.user, "groups.manage", c),
        },
    )


STATUS_STYLE = {"present": "success", "late": "dark", "excused": "secondary", "absent": "danger"}
SCORES = ["1", "2", "3", "4", "5"]


def _score_options(value):
    """The <option>s of a 1–5 select (after the blank one), the chosen one selected; value
    may be an int, a posted string or None. Only digits go in, so the HTML is built here
    once per value instead of by a template loop per row (there are six variants)."""
    chosen = "" if value is None else str(value)
    html = _SCORE_OPTIONS.get(chosen)
    if html is None:
        html = _SCORE_OPTIONS[""]
    return html


_SCORE_OPTIONS = {
    chosen: mark_safe(  # noqa: S308 - digits only
        "".join(
            f'<option value="{n}" {"selected" if n == chosen else ""}>{n}</option>' for n in SCORES
        )
    )
    for chosen in ["", *SCORES]
}


def _status_radios(rid, statuses, status):
    """The attendance radio buttons of one roster row. `statuses` holds (value, escaped
    label) pairs; rid is a primary key: plain string building, no per-row escaping."""
    return mark_safe(  # noqa: S308 - values are choice keys, labels escaped once per page
        "\n".join(
            f'<input type="radio" class="btn-check" name="status-{rid}" id="status-{rid}-{value}" '
            f'value="{value}" autocomplete="off" {"checked" if value == status else ""}>\n'
            f'<label class="btn btn-outline-{STATUS_STYLE[value]}" for="status-{rid}-{value}">'
            f"{label}</label>"
            for value, label in statuses
        )
    )


def _log_context(request, session, roster, rows=None, errors=None, walkin=None, note=None):
    see_notes, write_notes = _notes_flags(request.user, session)
    posted = {r["resident_id"]: r for r in rows or []}
    statuses = [(value, conditional_escape(label)) for value, label in Attendance.Status.choices]
    attendance_of, note_for = _("Attendance of %(name)s"), _("Individual note for %(name)s")
    lines = []
    for resident, att in roster:
        row = posted.get(resident.pk)
        status = row["status"] if row else (att.status if att else "present")
        participation = row["participation"] if row else (att and att.participation)
        mood = row["mood"] if row else (att and att.mood)
        lines.append(
            {
                "resident": resident,
                # Prepared here, once, so the template's per-row loops only print.
                "rid": str(resident.pk),
                "group_label": attendance_of % {"name": resident.display_name},
                "note_label": note_for % {"name": resident.display_name},
                "status_radios": _status_radios(str(resident.pk), statuses, status),
                "participation_options": _score_options(participation),
                "mood_options": _score_options(mood),
                "status": status,
                "participation": participation,
                "mood": mood,
                "note": (row["note"] if row and row["note"] is not None else (att and att.note))
                or "",
                "walk_in": bool(att and att.walk_in),
                "saved": att is not None,
                "error": (errors or {}).get(resident.pk),
            }
        )
    return {
        "session": session,
        "group": session.group,
        "lines": lines,
        "see_notes": see_notes,
        "write_notes": write_notes,
        "group_note": session.group_note if note is None else note,
        "walkin": walkin or WalkInForm(session=session, roster_ids=[r.pk for r, _a in roster]),
        "locked": session.is_signed or session.status == Session.Status.CANCELLED,
        "can_sign": access.can(request.user, "notes.write", session.centre_id),
    }


def _posted_walk_in(request, session, roster_ids):
    """(walk-in form, resident to add): (None, None) when nobody was picked, the usual
    save, which then does not even build the form."""
    if not request.POST.get("walkin-resident"):
        return None, None
    walkin = WalkInForm(request.POST, session=session, roster_ids=roster_ids)
    return walkin, walkin.cleaned_data.get("resident") if walkin.is_valid() else None


@login_required
def session_log(request, pk):
    session = access.get_session(request.user, pk, "attendance.log", related=("group",))
    if request.method != "POST":
        audit.record(request.user, "session.notes_viewed", session)
        context = _log_context(request, session, session_roster(session))
        return render(request, "groups/session_log.html", context)
    # Saving needs only who is on the roster and what is saved of it; the residents
    # themselves are loaded only if the page has to be shown again with errors.
    saved = actions.saved_log(session)
    _see, write_notes = _notes_flags(request.user, session)
    form = RosterForm(request.POST, saved.roster_ids, notes_editable=write_notes)
    walkin, walk_in = _posted_walk_in(request, session, saved.roster_ids)
    group_note = request.POST.get("group_note", "").strip() if write_notes else None
    ok = form.is_valid() & (walkin is None or walkin.is_valid())
    changed = True
    if ok:
        try:
            changed = actions.save_log(
                session,
                form.rows,
                group_note,
                request.user,
                walk_in=walk_in,
                sign="sign" in request.POST
                and access.can(request.user, "notes.write", session.centre_id),
                saved=saved,
            )
        except actions.SessionLocked as locked:
            messages.error(request, str(locked))
            ok = False
    if not ok:
        messages.error(request, _("Nothing was saved. Please correct the marked rows."))
        roster = session_roster(session)
        context = _log_context(request, session, roster, form.rows, form.errors, walkin, group_note)
        return render(request, "groups/session_log.html", context, status=400)
    if "sign" in request.POST and access.can(request.user, "notes.write", session.centre_id):
        messages.success(request, _("Session saved and signed. Notes are now read-only."))
        return redirect(session)
    if changed:
        messages.success(request, _("Session saved."))
    else:
        messages.info(request, _("Nothing had changed since the last save: the log is as it was."))
    if walk_in:
        return redirect("groups:session_log", session.pk)
    return redirect(session)


@login_required
@require_POST
def session_mark(request, pk):
    """Quick toggle for one resident. With htmx it answers with the row's saved state;
    without JS the whole log form is posted instead, so this is htmx-only in practice."""
    session = access.get_session(request.user, pk, "attendance.log", related=())
    resident = request.POST.get("resident", "")
    on_roster = resident.isdigit() and int(resident) in actions.saved_log(session).roster_ids
    status = request.POST.get(f"status-{resident}") if on_roster else None
    message, ok = "", False
    if status not in Attendance.Status.values:
        message = _("Not saved: choose present, late, excused or absent.")
    else:
        try:
            att = actions.mark_one(session, int(resident), status, request.user)
        except actions.SessionLocked as locked:
            message = str(locked)
        else:
            ok = True
            message = _("Saved: %(status)s") % {"status": att.get_status_display()}
    if not request.htmx:
        (messages.success if ok else messages.error)(request, message)
        return redirect("groups:session_log", session.pk)
    # Always 200 so htmx swaps the words in; the words say whether it was saved.
    return render(request, "groups/_mark_result.html", {"message": message, "ok": ok})


@login_required
def session_sign(request, pk):
    session = access.get_session(request.user, pk, "notes.write")
    if request.method == "POST":
        try:
            actions.sign_session(session, request.user)
        except actions.SessionLocked as locked:
            messages.error(request, str(locked))
        else:
            messages.success(request, _("Session signed. Notes are now read-only."))
        return redirect(session)
    return render(request, "groups/session_sign.html", {"session": session})


@login_required
def session_addendum(request, pk):
    session = access.get_session(request.user, pk, "notes.write")
    form = AddendumForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_addendum(
                session, form.cleaned_data["text"], form.cleaned_data["resident"], request.user
            )
        except actions.SessionLocked as locked:
            messages.error(request, str(locked))
        else:
            messages.success(request, _("Addendum added."))
        return redirect(session)
    return render(request, "groups/session_addendum.html", {"form": form, "session": session})


@login_required
def session_cancel(request, pk):
    session = access.get_session(request.user, pk, "groups.manage")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_session(session, form.cleaned_data["reason"], request.user)
        except actions.SessionLocked as locked:
            messages.error(request, str(locked))
        else:
            messages.success(request, _("Session cancelled. It stays in the history."))
        return redirect(session)
    return render(request, "groups/session_cancel.html", {"form": form, "session": session})


@login_required
def session_sheet(request, pk):
    session = access.get_session(request.user, pk)
    return render(
        request,
        "groups/session_sheet.html",
        {"session": session, "roster": session_roster(session)},
    )


@login_required
def register(request):
    access.require(request.user, "attendance.view")
    groups = access.groups_for(request.user)
    form = RegisterForm(request.GET or None, groups=groups)
    if not form.is_valid():
        return render(request, "groups/register.html", {"form": form})
    data = form.cleaned_data
    start, _e = local_day_bounds(data["date_from"])
    _s, end = local_day_bounds(data["date_to"])
    rows = (
        Attendance.objects.filter(
            session__group__in=groups, session__start__gte=start, session__start__lt=end
        )
        .select_related("session__group", "resident")
        .order_by("session__start", "session__group__name", "resident__full_name")
    )
    if data["group"]:
        rows = rows.filter(session__group=data["group"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"attendance-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        [_("Date"), _("Time"), _("Group"), _("Kind"), _("Resident"), _("Attendance"), _("Walk-in")]
    )
    for a in rows.iterator(chunk_size=1000):
        local = timezone.localtime(a.session.start)
        writer.writerow(
            [
                f"{local:%Y-%m-%d}",
                f"{local:%H:%M}",
                a.session.group.name,
                a.session.group.get_kind_display(),
                a.resident.full_name,
                a.get_status_display(),
                _("yes") if a.walk_in else "",
            ]
        )
    audit.record(request.user, "attendance.exported", detail=filename)
    return response
