"""Session pages: today's sessions, a session, its log (attendance and notes), the quick
mark, signing, addenda, cancelling, the printable sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kendra import access, audit

from . import access as group_access
from . import actions, replan
from .forms import AddendumForm, CancelForm, SessionForm
from .models import Attendance, local_day_bounds
from .panels import with_links
from .roster import PostedLog, log_context, notes_flags, session_roster
from .schedule_forms import MoveOnceForm, SessionLeadForm


@login_required
def today(request):
    access.require(request.user, "groups.view")
    start, end = local_day_bounds(timezone.localdate())
    sessions = (
        group_access.sessions_for(request.user)
        .filter(start__gte=start, start__lt=end)
        .select_related("group", "facilitator")
        .order_by("start")
    )
    sessions = with_links(sessions)
    for s in sessions:  # a peer leader logs only the circles and activities they lead
        s.may_log = group_access.may_lead(request.user, s)
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


# --- sessions ---------------------------------------------------------------------------


@login_required
def session_create(request, pk):
    group = group_access.get_group(request.user, pk, "groups.manage")
    form = SessionForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        session = actions.create_session(form, group, request.user)
        messages.success(request, _("Session added."))
        return redirect(session)
    return render(request, "groups/session_form.html", {"form": form, "group": group})


@login_required
def session_detail(request, pk):
    session = group_access.get_session(request.user, pk)
    see_notes, _write = notes_flags(request.user, session)
    addenda = []
    if see_notes:
        addenda = session.addenda.select_related("resident", "written_by")
        audit.record(request.user, "session.notes_viewed", session)
    c = session.group.centre_id
    leads = group_access.may_lead(request.user, session)
    return render(
        request,
        "groups/session_detail.html",
        {
            "session": session,
            "group": session.group,
            "roster": session_roster(session),
            "see_notes": see_notes,
            "addenda": addenda,
            "can_log": leads and access.can(request.user, "attendance.log", c),
            "can_sign": leads and access.can(request.user, "sessions.sign", c),
            "can_cosign": access.can(request.user, "sessions.cosign", c),
            "can_addendum": access.can(request.user, "notes.write", c),
            "can_manage": access.can(request.user, "groups.manage", c),
        },
    )


@login_required
def session_log(request, pk):
    session = group_access.get_session(request.user, pk, "attendance.log", related=("group",))
    if request.method != "POST":
        audit.record(request.user, "session.notes_viewed", session)
        context = log_context(request, session, session_roster(session))
        return render(request, "groups/session_log.html", context)
    posted = PostedLog(request, session)
    if not posted.save():
        messages.error(request, _("Nothing was saved. Please correct the marked rows."))
        return render(request, "groups/session_log.html", posted.error_context(), status=400)
    if "sign" in request.POST and access.can(request.user, "sessions.sign", session.centre_id):
        messages.success(request, _("Session saved and signed. Notes are now read-only."))
        return redirect(session)
    if posted.changed:
        messages.success(request, _("Session saved."))
    else:
        messages.info(request, _("Nothing had changed since the last save: the log is as it was."))
    if posted.walk_in:
        return redirect("groups:session_log", session.pk)
    return redirect(session)


@login_required
@require_POST
def session_mark(request, pk):
    """Quick toggle for one resident. With htmx it answers with the row's saved state;
    without JS the whole log form is posted instead, so this is htmx-only in practice."""
    session = group_access.get_session(request.user, pk, "attendance.log", related=())
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
    session = group_access.get_session(request.user, pk, "sessions.sign")
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
    session = group_access.get_session(request.user, pk, "notes.write")
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
    session = group_access.get_session(request.user, pk, "groups.manage")
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
    session = group_access.get_session(request.user, pk)
    return render(
        request,
        "groups/session_sheet.html",
        {"session": session, "roster": session_roster(session)},
    )


@login_required
def session_move(request, pk):
    """A one-off move of one session ("this Thursday only")."""
    session = group_access.get_session(request.user, pk, "groups.manage")
    form = MoveOnceForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            replan.move_once(session, data["starts"], data["ends"], data["reason"], request.user)
        except actions.SessionLocked as locked:
            form.add_error(None, str(locked))
        else:
            messages.success(request, _("The session moved. Only this one changed."))
            return redirect(session)
    status = 400 if form.errors else 200
    context = {"form": form, "session": session}
    return render(request, "groups/session_move.html", context, status=status)


@login_required
def session_lead(request, pk):
    """Who stands in to lead this one session, and its own online link."""
    session = group_access.get_session(request.user, pk, "groups.manage")
    form = SessionLeadForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        actions.save_session_lead(form, request.user)
        messages.success(request, _("Changes saved."))
        return redirect(session)
    status = 400 if form.errors else 200
    context = {"form": form, "session": session}
    return render(request, "groups/session_lead.html", context, status=status)


@login_required
@require_POST
def session_cosign(request, pk):
    """A counselor co-signs a session a peer leader signed."""
    session = group_access.get_session(request.user, pk, "sessions.cosign")
    try:
        actions.cosign_session(session, request.user)
    except actions.SessionLocked as locked:
        messages.error(request, str(locked))
    else:
        messages.success(request, _("Session co-signed."))
    return redirect(session)
