import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kendra.forms import (
    SCHEDULE,
    ChooseSignInForm,
    DateInput,
    KendraForm,
    limit_centre_field,
    normalise_phone,
)
from kendra.models import Membership, Role

from .models import FamilyGroup, FamilyMeeting, Invitation, Relationship, VisitingHours


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class FamilyGroupForm(KendraForm):
    number_ranges = {
        "duration_minutes": (
            15,
            480,
            _("A meeting lasts between 15 minutes and 8 hours (480 minutes)."),
        )
    }

    class Meta:
        model = FamilyGroup
        fields = [
            "centre",
            "name",
            "audience",
            "facilitator",
            "weekday",
            "start_time",
            "duration_minutes",
            "place",
            "online_link",
            "residents",
            "is_active",
        ]
        widgets = {
            "start_time": TimeInput(),
            "residents": forms.CheckboxSelectMultiple,
            "online_link": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["centre"]
            centre_ids = [self.instance.centre_id]
        else:
            centre_ids = limit_centre_field(self, centres)
        from kendra.models import Resident

        # Admitted residents, plus anyone already enrolled (a discharged resident's family
        # may stay in the group; unticking them must be a choice, not a side effect).
        enrolled = self.instance.residents.values("pk") if self.instance.pk else []
        self.fields["residents"].queryset = Resident.objects.filter(
            Q(status=Resident.Status.ADMITTED) | Q(pk__in=enrolled), centre_id__in=centre_ids
        ).order_by("full_name")
        self.fields["residents"].required = False
        staff = Membership.objects.filter(
            centre_id__in=centre_ids, is_active=True, role__in=[Role.COUNSELOR, Role.CENTRE_ADMIN]
        ).values("user_id")
        self.fields["facilitator"].queryset = get_user_model().objects.filter(pk__in=staff)
        self.fields["facilitator"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Give the group a name families will recognise."))
        return name

    def clean(self):
        data = super().clean()
        if (data.get("weekday") is None) != (data.get("start_time") is None):
            raise forms.ValidationError(
                _("For a regular schedule give both the day and the start time, or neither.")
            )
        return data


class MeetingForm(KendraForm):
    """Date, start and end time as three plain inputs: easy on a phone, no JS."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    date_windows = {"date": SCHEDULE}
    start = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end = forms.TimeField(label=_("Ends at"), widget=TimeInput())

    class Meta:
        model = FamilyMeeting
        fields = ["topic", "place", "online_link"]
        widgets = {"online_link": forms.URLInput(attrs={"placeholder": "https://"})}

    field_order = ["date", "start", "end", "topic", "place", "online_link"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            start = timezone.localtime(self.instance.starts_at)
            end = timezone.localtime(self.instance.ends_at)
            self.initial.update({"date": start.date(), "start": start.time(), "end": end.time()})

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if day and start and end:
            if end <= start:
                self.add_error("end", _("The meeting must end after it starts."))
            else:
                tz = timezone.get_current_timezone()
                data["starts_at"] = timezone.make_aware(dt.datetime.combine(day, start), tz)
                data["ends_at"] = timezone.make_aware(dt.datetime.combine(day, end), tz)
        if (
            not data.get("place")
            and not data.get("online_link")
            and "online_link" not in self.errors
        ):
            self.add_error("place", _("Say where the meeting is: a place or an online link."))
        return data


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling (families will see it)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < 3:
            raise forms.ValidationError(_('Write a short reason, for example "Holi holiday".'))
        return reason


class MeetingHeldForm(forms.Form):
    """The meeting took place: a short note and who was present."""

    note = forms.CharField(
        label=_("Facilitator's note"),
        help_text=_("A short note on the meeting itself. No names and nothing about a resident."),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Family members present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    residents = forms.TypedMultipleChoiceField(
        label=_("Residents present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members=(), residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [
            (m.pk, f"{m} · {m.resident.display_name}") for m in members
        ]
        self.fields["residents"].choices = [(r.pk, r.display_name) for r in residents]


class InvitationForm(KendraForm):
    class Meta:
        model = Invitation
        fields = ["name", "relationship", "channel", "phone", "email"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship"].choices = Relationship.choices

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if (
            channel == Invitation.Channel.SMS
            and not data.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error("phone", _("Enter their mobile number to send the link by SMS."))
        if (
            channel == Invitation.Channel.EMAIL
            and not data.get("email")
            and "email" not in self.errors
        ):
            self.add_error("email", _("Enter their email address to send the link by email."))
        return data


class AcceptInvitationForm(ChooseSignInForm):
    """A family member accepting their invitation: a new account."""


class VisitingHoursForm(KendraForm):
    class Meta:
        model = VisitingHours
        fields = ["centre", "weekday", "start_time", "end_time", "note"]
        widgets = {"start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["centre"]
        else:
            limit_centre_field(self, centres)

    def clean_note(self):
        return " ".join(self.cleaned_data.get("note", "").split())

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error(
                "end_time",
                _("Visiting must end after it starts. The end time is before the start time."),
            )
        return data
