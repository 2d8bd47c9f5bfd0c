"""A session's roster and the rows of its log page: who is on it, what is marked, what the
counselor posted. The log view fetches the session, binds a `PostedLog` and renders."""

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kendra import access
from kendra.stays import Stay

from . import actions
from .forms import NUL_IN_NOTE, RosterForm, WalkInForm
from .models import Attendance, Session, members_on

STATUS_STYLE = {"present": "success", "late": "dark", "excused": "secondary", "absent": "danger"}
SCORES = ["1", "2", "3", "4", "5"]
_RID = "__rid__"  # stands for a row's resident id in the radios rendered once per page


def notes_flags(user, session):
    """(may see notes, may edit notes) for this user on this session."""
    group = session.group
    view = group.notes_allowed and access.can(user, "notes.view", group.centre_id)
    write = view and access.can(user, "notes.write", group.centre_id) and not session.is_signed
    return view, write


def session_roster(session):
    """[(resident, attendance or None)]: the members on the session's day plus anyone
    already marked (walk-ins, people who left since), in name order."""
    stage = Subquery(
        Stay.objects.open().filter(resident=OuterRef("resident_id")).values("stage")[:1]
    )  # the stage of each resident's open stay, in the same queries
    attendances = {
        a.resident_id: a
        for a in session.attendances.select_related("resident").annotate(stage=stage).all()
    }
    roster = {a.resident_id: (a.resident, a) for a in attendances.values()}
    members = members_on(session.group, session.local_date).select_related("resident")
    for member in members.annotate(stage=stage):
        member.resident.stage = member.stage
        roster.setdefault(member.resident_id, (member.resident, None))
    for a in attendances.values():
        a.resident.stage = a.stage
    return sorted(roster.values(), key=lambda pair: (pair[0].full_name, pair[0].pk))


class RowWidgets:
    """The status radios and the 1–5 options of the roster rows. Each variant (a chosen
    status, a chosen score) is rendered from its template once per page; a row then only
    puts its resident id in, so the page's loop over the rows only prints."""

    def __init__(self):
        self.statuses = [(v, label, STATUS_STYLE[v]) for v, label in Attendance.Status.choices]
        self._radios = {}
        self._options = {}

    def status_radios(self, rid, status):
        if status not in self._radios:
            self._radios[status] = render_to_string(
                "groups/_status_radios.html",
                {"statuses": self.statuses, "status": status, "rid": _RID},
            )
        # rid is a primary key (digits): the template's escaped output stays safe.
        return mark_safe(self._radios[status].replace(_RID, rid))  # noqa: S308

    def score_options(self, value):
        """The <option>s of a 1–5 select (after the blank one), the chosen one selected;
        value may be an int, a posted string or None (anything else selects nothing)."""
        chosen = "" if value is None else str(value)
        if chosen not in SCORES:
            chosen = ""
        if chosen not in self._options:
            self._options[chosen] = render_to_string(
                "groups/_score_options.html", {"scores": SCORES, "chosen": chosen}
            )
        return self._options[chosen]


def log_context(request, session, roster, rows=None, errors=None, walkin=None, note=None):
    see_notes, write_notes = notes_flags(request.user, session)
    posted = {r["resident_id"]: r for r in rows or []}
    widgets = RowWidgets()
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
                "status_radios": widgets.status_radios(str(resident.pk), status),
                "participation_options": widgets.score_options(participation),
                "mood_options": widgets.score_options(mood),
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
        "can_sign": access.can(request.user, "sessions.sign", session.centre_id),
    }


def posted_walk_in(request, session, roster_ids):
    """(walk-in form, resident to add): (None, None) when nobody was picked, the usual
    save, which then does not even build the form."""
    if not request.POST.get("walkin-resident"):
        return None, None
    walkin = WalkInForm(request.POST, session=session, roster_ids=roster_ids)
    return walkin, walkin.cleaned_data.get("resident") if walkin.is_valid() else None


class PostedLog:
    """The log page's POST, bound: the roster rows, the walk-in, the group note."""

    def __init__(self, request, session):
        self.request, self.session = request, session
        # Saving needs only who is on the roster and what is saved of it; the residents
        # themselves are loaded only if the page has to be shown again with errors.
        self.saved = actions.saved_log(session)
        _see, write_notes = notes_flags(request.user, session)
        self.form = RosterForm(request.POST, self.saved.roster_ids, notes_editable=write_notes)
        self.walkin, self.walk_in = posted_walk_in(request, session, self.saved.roster_ids)
        self.group_note = request.POST.get("group_note", "").strip() if write_notes else None
        self.changed = True

    def save(self):
        """True once saved; False when nothing was (a locked session says why in messages)."""
        request, session = self.request, self.session
        if not (self.form.is_valid() & (self.walkin is None or self.walkin.is_valid())):
            return False
        if self.group_note and "\x00" in self.group_note:
            messages.error(request, NUL_IN_NOTE)
            return False
        try:
            self.changed = actions.save_log(
                session,
                self.form.rows,
                self.group_note,
                request.user,
                walk_in=self.walk_in,
                sign="sign" in request.POST
                and access.can(request.user, "sessions.sign", session.centre_id),
                saved=self.saved,
            )
        except actions.SessionLocked as locked:
            messages.error(request, str(locked))
            return False
        return True

    def error_context(self):
        """The page again, with what was posted and the rows' errors."""
        form, roster = self.form, session_roster(self.session)
        return log_context(
            self.request, self.session, roster, form.rows, form.errors, self.walkin, self.group_note
        )
