import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kendra.forms import (
    REPORTS,
    SCHEDULE,
    DateInput,
    KendraForm,
    KendraPlainForm,
    limit_centre_field,
)
from kendra.models import Resident, Role, Weekday

from .models import (
    FORMATS_BY_KIND,
    THERAPY_CAPACITY,
    Attendance,
    Frequency,
    Kind,
    PeerGroup,
    Session,
    validate_web_link,
)

MAX_REGISTER_DAYS = 366


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


def staff_of(centre_ids, role):
    return (
        get_user_model()
        .objects.filter(
            memberships__centre_id__in=centre_ids,
            memberships__role=role,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("first_name", "username")
    )


class WebLinkField(forms.CharField):
    """An online meeting link: http(s) only, with a plain message for anything else."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        validate_web_link(value)
        if value:
            URLValidator(schemes=["http", "https"], message=_("Enter a whole web address."))(value)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class GroupForm(KendraForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for groups that meet on chosen weekdays."),
    )
    facilitator = StaffChoiceField(
        label=_("Facilitator (counselor)"), queryset=None, required=False
    )
    co_leader = StaffChoiceField(label=_("Co-leading peer leader"), queryset=None, required=False)
    meeting_link = WebLinkField(label=_("Online meeting link"), required=False)

    number_ranges = {
        "capacity": (1, 500, _("A group has room for 1 to 500 people.")),
        "duration_minutes": (10, 480, _("A session lasts between 10 minutes and 8 hours.")),
    }
    date_windows = {"starts_on": SCHEDULE, "ends_on": SCHEDULE}

    class Meta:
        model = PeerGroup
        fields = [
            "centre",
            "name",
            "kind",
            "format",
            "audience",
            "capacity",
            "facilitator",
            "co_leader",
            "frequency",
            "weekdays",
            "start_time",
            "duration_minutes",
            "starts_on",
            "ends_on",
            "room",
            "meeting_link",
        ]
        widgets = {"start_time": TimeInput(), "starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {
            "format": _("For group therapy and activity sessions. Leave empty for circles."),
            "capacity": _("Group therapy works best with 5 to 10 people."),
            "start_time": _("Local time (India)."),
        }

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["centre"]
            centre_ids = [self.instance.centre_id]
        else:
            centre_ids = limit_centre_field(self, centres)
        self.fields["facilitator"].queryset = staff_of(centre_ids, Role.COUNSELOR)
        self.fields["co_leader"].queryset = staff_of(centre_ids, Role.PEER_LEADER)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Give the group a name."))
        return name

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity < 1:
            raise forms.ValidationError(_("A group needs room for at least one person."))
        return capacity

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not 10 <= minutes <= 480:
            raise forms.ValidationError(_("A session lasts between 10 minutes and 8 hours."))
        return minutes

    def clean(self):
        data = super().clean()
        kind, fmt = data.get("kind"), data.get("format")
        if kind == Kind.CIRCLE and fmt:
            self.add_error("format", _("Sharing circles have no format. Leave it empty."))
        elif kind in (Kind.THERAPY, Kind.ACTIVITY) and fmt not in FORMATS_BY_KIND[kind]:
            self.add_error(
                "format",
                _("Choose a format that fits %(kind)s.") % {"kind": Kind(kind).label.lower()},
            )
        frequency = data.get("frequency")
        if frequency in (Frequency.DAILY, Frequency.WEEKLY) and not data.get("start_time"):
            self.add_error("start_time", _("Enter the time the group meets."))
        if frequency == Frequency.WEEKLY and not data.get("weekdays"):
            self.add_error("weekdays", _("Tick the days the group meets."))
        first, last = data.get("starts_on"), data.get("ends_on")
        if last and first and last < first:
            self.add_error("ends_on", _("The last day must be on or after the first day."))
        elif last and last < timezone.localdate() and "ends_on" in self.changed_data:
            self.add_error("ends_on", _("The last day cannot be in the past."))
        centre = data.get("centre") or getattr(self.instance, "centre", None)
        for name in ("facilitator", "co_leader"):
            person = data.get(name)
            if person and centre and not person.memberships.filter(centre=centre).exists():
                self.add_error(name, _("Choose someone who works at this centre."))
        return data

    @property
    def capacity_warning(self):
        data = getattr(self, "cleaned_data", {})
        low, high = THERAPY_CAPACITY
        if data.get("kind") == Kind.THERAPY and not low <= (data.get("capacity") or 0) <= high:
            return _(
                "Group therapy works best with 5 to 10 people so every voice is heard. "
                "The capacity was saved as you entered it."
            )
        return None


class ResidentPickField(forms.ModelChoiceField):
    """Validates against every resident so a wrong pick gets a plain message, not a bare
    'invalid choice'; the rendered choices are only this centre's admitted residents."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Resident.objects.all())
        super().__init__(*args, **kwargs)

    def show(self, residents):
        """The residents to list: a queryset, or a function making one. Read only when
        the field is rendered, so a POST that saves and redirects never reads them (nor,
        given a function, builds the query)."""

        shown = []

        def choices():
            if not shown:  # read once, as the three columns the options print
                rows = residents() if callable(residents) else residents
                shown.append(("", "---------"))
                shown.extend(
                    (pk, f"{full} ({preferred})" if preferred else full)
                    for pk, full, preferred in rows.values_list("pk", "full_name", "preferred_name")
                )
            return shown

        self.widget.choices = choices


def resident_problem(group, resident, on=None):
    if resident.centre_id != group.centre_id:
        return _("That resident is not in this centre. Choose someone from the list.")
    if not resident.is_admitted:
        return _("%(name)s is not admitted (discharged), so cannot be added.") % {"name": resident}
    return group.audience_problem(resident, on)


class MemberForm(KendraPlainForm):
    date_windows = {"joined_on": SCHEDULE}
    resident = ResidentPickField(label=_("Resident"))
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())
    confirm_over_capacity = forms.BooleanField(
        label=_("Add even though the group is full"), required=False
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["joined_on"].initial = timezone.localdate()
        on_roster = group.members.filter(left_on__isnull=True).values("resident_id")
        self.fields["resident"].show(
            Resident.objects.filter(centre_id=group.centre_id)
            .admitted()
            .exclude(pk__in=on_roster)
            .order_by("full_name")
        )

    def clean(self):
        data = super().clean()
        resident = data.get("resident")
        if not resident:
            return data
        problem = resident_problem(self.group, resident, data.get("joined_on"))
        if problem:
            self.add_error("resident", problem)
            return data
        active = self.group.members.filter(left_on__isnull=True)
        if active.filter(resident=resident).exists():
            self.add_error("resident", _("%(name)s is already in this group.") % {"name": resident})
        elif active.count() >= self.group.capacity and not data.get("confirm_over_capacity"):
            self.add_error(
                "confirm_over_capacity",
                _("The group is full (%(n)s places). Tick the box to add one more anyway.")
                % {"n": self.group.capacity},
            )
        return data


class SessionForm(KendraForm):
    date_windows = {"date": SCHEDULE}
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    facilitator = StaffChoiceField(label=_("Facilitator"), queryset=None, required=False)
    confirm_overlap = forms.BooleanField(
        label=_("Add it even though the facilitator has another session then"), required=False
    )

    class Meta:
        model = Session
        fields = ["topic", "facilitator", "room"]

    field_order = ["date", "start_time", "end_time", "topic", "facilitator", "room"]

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["facilitator"].queryset = staff_of([group.centre_id], Role.COUNSELOR)
        self.fields["facilitator"].initial = group.facilitator_id
        self.fields["room"].initial = group.room
        self.fields["date"].initial = timezone.localdate()
        if group.start_time:
            self.fields["start_time"].initial = group.start_time
            start = dt.datetime.combine(dt.date.today(), group.start_time)
            end = start + dt.timedelta(minutes=group.duration_minutes)
            self.fields["end_time"].initial = end.time()

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if not (day and start and end):
            return data
        tz = timezone.get_current_timezone()
        starts = timezone.make_aware(dt.datetime.combine(day, start), tz)
        ends = timezone.make_aware(dt.datetime.combine(day, end), tz)
        if ends <= starts:
            self.add_error("end_time", _("The end time must be after the start time."))
            return data
        self.instance.start, self.instance.end = starts, ends
        if Session.objects.filter(group=self.group, start=starts).exists():
            self.add_error("start_time", _("This group already has a session at that time."))
            return data
        person = data.get("facilitator")
        if person:
            clash = (
                Session.objects.filter(facilitator=person, start__lt=ends, end__gt=starts)
                .exclude(status=Session.Status.CANCELLED)
                .select_related("group")
                .first()
            )
            if clash and not data.get("confirm_overlap"):
                self.add_error(
                    "confirm_overlap",
                    _(
                        "%(who)s already has %(group)s from %(start)s to %(end)s that day. "
                        "Tick the box to add this session anyway."
                    )
                    % {
                        "who": person.get_full_name() or person.username,
                        "group": clash.group,
                        "start": f"{timezone.localtime(clash.start):%H:%M}",
                        "end": f"{timezone.localtime(clash.end):%H:%M}",
                    },
                )
        return data


class WalkInForm(forms.Form):
    resident = ResidentPickField(label=_("Walk-in resident"), required=False)
    confirm_over_capacity = forms.BooleanField(
        label=_("Add even though the session is full"), required=False
    )

    def __init__(self, *args, session, roster_ids, **kwargs):
        super().__init__(*args, prefix="walkin", **kwargs)
        self.session = session
        self.roster_ids = roster_ids
        self.fields["resident"].show(
            lambda: (
                Resident.objects.filter(centre_id=session.centre_id)
                .admitted()
                .exclude(pk__in=roster_ids)
                .order_by("full_name")
            )
        )

    def clean(self):
        data = super().clean()
        resident = data.get("resident")
        if not resident:
            return data
        group = self.session.group
        problem = resident_problem(group, resident, self.session.local_date)
        if problem:
            self.add_error("resident", problem)
        elif resident.pk in self.roster_ids:
            self.add_error("resident", _("%(name)s is already on the roster.") % {"name": resident})
        elif len(self.roster_ids) >= group.capacity and not data.get("confirm_over_capacity"):
            self.add_error(
                "confirm_over_capacity",
                _("The session is full (%(n)s places). Tick the box to add one more anyway.")
                % {"n": group.capacity},
            )
        return data


SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


NUL_IN_NOTE = _("This note holds a character that cannot be saved. Please type it again.")


class RosterForm:
    """The roster part of the session log: one row per resident, parsed from plain POST
    fields (status-<id>, participation-<id>, mood-<id>, note-<id>) so the page is one
    ordinary form that works without JavaScript."""

    def __init__(self, data, resident_ids, notes_editable):
        self.data = data
        self.resident_ids = resident_ids  # who is on the roster
        self.notes_editable = notes_editable
        self.rows = []
        self.errors = {}

    def _score(self, rid, name, label):
        raw = (self.data.get(f"{name}-{rid}") or "").strip()
        if not raw:
            return None
        if raw in {"1", "2", "3", "4", "5"}:
            return int(raw)
        self.errors[rid] = _("%(label)s must be a number from 1 to 5.") % {"label": label}
        return None

    def is_valid(self):
        statuses = set(Attendance.Status.values)
        for rid in self.resident_ids:
            status = self.data.get(f"status-{rid}", Attendance.Status.PRESENT)
            if status not in statuses:
                self.errors[rid] = _("Choose present, late, excused or absent.")
            note = None
            if self.notes_editable:
                note = (self.data.get(f"note-{rid}") or "").strip()
                if "\x00" in note:
                    self.errors[rid] = NUL_IN_NOTE
            self.rows.append(
                {
                    "resident_id": rid,
                    "status": status,
                    "participation": self._score(rid, "participation", _("Participation")),
                    "mood": self._score(rid, "mood", _("Mood")),
                    "note": note,
                }
            )
        return not self.errors


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the session cancelled?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < 3:
            raise forms.ValidationError(
                _("Write a short reason, for example 'Counselor on leave'.")
            )
        return reason


class AddendumForm(forms.Form):
    resident = forms.ModelChoiceField(
        label=_("About"),
        queryset=Resident.objects.none(),
        required=False,
        empty_label=_("The whole group (group note)"),
    )
    text = forms.CharField(label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = Resident.objects.filter(
            attendances__session=session
        ).order_by("full_name")

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the addendum."))
        return text


class RegisterForm(KendraPlainForm):
    date_windows = {"date_from": REPORTS, "date_to": REPORTS}
    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=PeerGroup.objects.none(),
        required=False,
        empty_label=_("All groups"),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups.order_by("name")
        today = timezone.localdate()
        self.fields["date_from"].initial = today.replace(day=1)
        self.fields["date_to"].initial = today

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end date must be on or after the start date."))
            elif (end - start).days > MAX_REGISTER_DAYS:
                self.add_error("date_to", _("Choose at most one year at a time."))
        return data
