import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kendra.forms import (
    HAPPENED,
    SCHEDULE,
    DateInput,
    KendraForm,
    KendraPlainForm,
    limit_centre_field,
    normalise_phone,
)
from kendra.models import Language

from . import actions, conflicts
from .models import AlumniProfile, FollowUp, SuccessStory, Visit


class PlainForm(KendraPlainForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ProfileForm(KendraForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AlumniProfile
        fields = [
            "city",
            "phone",
            "email",
            "languages",
            "available_for_visits",
            "can_mentor",
            "note",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        if self.instance.consent_decision != AlumniProfile.Decision.OPTED_IN:
            for field in ("available_for_visits", "can_mentor"):
                if data.get(field):
                    self.add_error(
                        field,
                        _("Record their agreement to be contacted first."),
                    )
        return data


class ConsentForm(PlainForm):
    decision = forms.ChoiceField(
        label=_("Do they agree to be contacted as an alumnus?"),
        choices=[
            (AlumniProfile.Decision.OPTED_IN, _("Yes, they agree to be contacted")),
            (AlumniProfile.Decision.OPTED_OUT, _("No, do not contact them")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    note = forms.CharField(
        label=_("Note (how and when they said it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RelapseForm(PlainForm):
    date_windows = {"relapsed_on": HAPPENED, "new_sobriety_date": HAPPENED}
    relapsed_on = forms.DateField(label=_("Date of the relapse"), widget=DateInput())
    new_sobriety_date = forms.DateField(
        label=_("New sobriety date"),
        widget=DateInput(),
        help_text=_("The first day sober again. Milestones count from this date."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile

    def clean(self):
        data = super().clean()
        if data.get("relapsed_on") and data.get("new_sobriety_date"):
            try:
                actions.check_relapse(self.profile, data["relapsed_on"], data["new_sobriety_date"])
            except actions.RuleBroken as error:
                raise forms.ValidationError(str(error)) from None
        return data


class AlumniChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


SESSION_WEEKS_AHEAD = 6
MAX_SESSIONS_OFFERED = 150


class VisitForm(KendraForm):
    alumni = AlumniChoiceField(
        label=_("Alumni visiting"),
        queryset=AlumniProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one alumnus.")},
    )
    day = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration = forms.IntegerField(
        label=_("How long (minutes)"),
        min_value=15,
        max_value=8 * 60,
        initial=90,
        error_messages={
            "min_value": _("A visit lasts at least 15 minutes."),
            "max_value": _("A visit lasts at most 8 hours (480 minutes)."),
        },
    )
    date_windows = {"day": SCHEDULE}
    propose_anyway = forms.BooleanField(
        label=_("I have seen the conflicts above: propose anyway"), required=False
    )

    class Meta:
        model = Visit
        fields = ["centre", "alumni", "purpose", "session_id", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, centres, alumni, **kwargs):
        super().__init__(*args, **kwargs)
        limit_centre_field(self, centres)
        self.fields["alumni"].queryset = alumni
        self.fields["day"].initial = timezone.localdate() + dt.timedelta(days=7)
        self._offer_sessions(centres)
        self.order_fields(
            ["centre", "alumni", "day", "time", "duration", "purpose", "session_id", "note"]
        )
        self.conflicts = []

    def _offer_sessions(self, centres):
        """Let the coordinator pick one of the centre's upcoming group sessions."""
        self.sessions = {}
        try:
            Session = apps.get_model("groups", "Session")
        except LookupError:
            self.fields["session_id"].widget.attrs["min"] = 1
            return
        now = timezone.now()
        upcoming = (
            Session._default_manager.filter(
                centre__in=centres,
                status="planned",
                start__gt=now,
                start__lt=now + dt.timedelta(days=SESSION_WEEKS_AHEAD * 7),
            )
            .select_related("group")
            .order_by("start", "pk")[:MAX_SESSIONS_OFFERED]
        )
        if self.instance.session_id:
            upcoming = list(upcoming) + list(
                Session._default_manager.filter(pk=self.instance.session_id).select_related("group")
            )
        choices = [("", _("No group session"))]
        for session in upcoming:
            self.sessions[session.pk] = session
            local = timezone.localtime(session.start)
            choices.append(
                (
                    session.pk,
                    f"{local:%d/%m/%Y %H:%M} · {session.group.name} "
                    f"({session.group.get_kind_display()})",
                )
            )
        self.fields["session_id"] = forms.TypedChoiceField(
            label=_("Group session joined"),
            help_text=_(
                "The centre's sessions in the coming weeks. Date and time are taken from it if you leave them empty."
            ),
            choices=choices,
            coerce=int,
            empty_value=None,
            required=False,
            error_messages={
                "invalid_choice": _("Choose one of the centre's upcoming sessions from the list.")
            },
        )
        self.fields["day"].required = self.fields["time"].required = False

    def clean(self):
        data = super().clean()
        session = self.sessions.get(data.get("session_id"))
        if session is not None:
            local = timezone.localtime(session.start)
            if data.get("centre") and session.centre_id != data["centre"].pk:
                self.add_error(
                    "session_id",
                    _("That session belongs to another centre: choose one of this centre's."),
                )
                return data
            if not data.get("day"):
                data["day"] = local.date()
            if not data.get("time"):
                data["time"] = local.time()
        for field, message in (
            ("day", _("Choose the date of the visit.")),
            ("time", _("Choose the time of the visit.")),
        ):
            if not data.get(field) and field not in self.errors:
                self.add_error(field, message)
        day, time, minutes = data.get("day"), data.get("time"), data.get("duration")
        centre, alumni = data.get("centre"), data.get("alumni")
        if not (day and time and minutes and centre and alumni):
            return data
        starts_at = timezone.make_aware(dt.datetime.combine(day, time))
        ends_at = starts_at + dt.timedelta(minutes=minutes)
        try:
            actions.check_visit_time(starts_at, ends_at)
        except actions.RuleBroken as error:
            self.add_error("day", str(error))
            return data
        try:
            actions.check_alumni_for_visit(alumni, centre)
        except actions.RuleBroken as error:
            self.add_error("alumni", str(error))
            return data
        self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
        self.conflicts = conflicts.conflicts_for(
            centre, alumni, starts_at, ends_at, data.get("session_id")
        )
        if self.conflicts and not data.get("propose_anyway"):
            raise forms.ValidationError(
                _("This visit has conflicts. Change it, or tick “propose anyway”.")
            )
        return data

    def conflict_text(self):
        return "; ".join(str(c) for c in self.conflicts)


class VisitDoneForm(PlainForm):
    feedback = forms.CharField(
        label=_("How did it go?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a few words about how it went.")},
    )
    residents_reached = forms.IntegerField(
        label=_("How many residents took part?"), min_value=0, max_value=500, required=False
    )


class CancelVisitForm(PlainForm):
    reason = forms.CharField(
        label=_("Why is the visit cancelled?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Say why the visit is cancelled: the alumnus and staff will ask.")
        },
    )


class FollowUpOutcomeForm(PlainForm):
    outcome = forms.ChoiceField(
        label=_("How did the follow-up go?"),
        choices=FollowUp.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the follow-up went.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, followup, **kwargs):
        super().__init__(*args, **kwargs)
        self.followup = followup

    def clean(self):
        data = super().clean()
        try:
            actions.check_followup(self.followup)
        except actions.RuleBroken as error:
            raise forms.ValidationError(str(error)) from None
        return data


class StoryForm(KendraForm):
    class Meta:
        model = SuccessStory
        fields = ["profile", "title", "text", "written_with"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}
        error_messages = {
            "title": {"required": _("Give the story a title.")},
            "text": {"required": _("Write the story itself.")},
            "profile": {"required": _("Choose whose story this is.")},
        }

    def __init__(self, *args, alumni, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = alumni
        self.fields["profile"].empty_label = _("Choose an alumnus")
        if self.instance.pk:
            # The story stays with the person it was written with.
            self.fields["profile"].disabled = True


class PublishStoryForm(PlainForm):
    consent_given = forms.BooleanField(
        label=_(
            "They have read (or heard) this story and agree that staff of the centre may read it"
        ),
        required=False,
    )
    note = forms.CharField(
        label=_("Note (how and when they agreed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, story, **kwargs):
        super().__init__(*args, **kwargs)
        self.story = story

    def clean(self):
        data = super().clean()
        try:
            actions.check_publish(self.story, data.get("consent_given"))
        except actions.RuleBroken as error:
            self.add_error("consent_given", str(error))
        return data
