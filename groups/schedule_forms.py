"""Forms for one session: a one-off move ("this Thursday only"), its stand-in peer leader
and its online link."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kendra.forms import SCHEDULE, DateInput, KendraForm, KendraPlainForm
from kendra.models import Role

from .forms import StaffChoiceField, TimeInput, WebLinkField, staff_of
from .models import Session


class MoveOnceForm(KendraPlainForm):
    date_windows = {"date": SCHEDULE}
    date = forms.DateField(label=_("New date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    reason = forms.CharField(label=_("Reason for moving"), max_length=300)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = timezone.localtime(session.start), timezone.localtime(session.end)
        self.fields["date"].initial = start.date()
        self.fields["start_time"].initial = start.time()
        self.fields["end_time"].initial = end.time()

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Say why the session moves."))
        return reason

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            tz = timezone.get_current_timezone()
            data["starts"] = timezone.make_aware(dt.datetime.combine(day, start), tz)
            data["ends"] = timezone.make_aware(dt.datetime.combine(day, end), tz)
            if data["ends"] <= data["starts"]:
                self.add_error("end_time", _("The end time must be after the start time."))
            elif data["starts"] <= timezone.now():
                self.add_error("date", _("Choose a time that has not passed yet."))
        return data


class SessionLeadForm(KendraForm):
    """Who stands in for the group's leaders at this one session, and its online link."""

    stand_in = StaffChoiceField(
        label=_("Stand-in peer leader"), queryset=None, required=False, empty_label=_("Nobody")
    )
    meeting_link = WebLinkField(
        label=_("Online meeting link"),
        required=False,
        help_text=_("Leave empty to use the group's link."),
    )

    class Meta:
        model = Session
        fields = ["stand_in", "meeting_link"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stand_in"].queryset = staff_of([self.instance.centre_id], Role.PEER_LEADER)
