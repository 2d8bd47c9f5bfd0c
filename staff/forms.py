from django import forms
from django.utils.translation import gettext_lazy as _

from checkins.models import CheckinDefaults
from kendra import phones
from kendra.forms import ChooseSignInForm, KendraForm, normalise_phone
from kendra.models import Centre, Weekday

from . import actions
from .models import STAFF_ROLE_CHOICES, StaffInvitation


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find by name, username, email or phone"), required=False, max_length=100
    )


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    channel = forms.ChoiceField(
        label=_("Send the invitation by"),
        choices=StaffInvitation.Channel.choices,
        initial=StaffInvitation.Channel.SMS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Write their name."))
        return name

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        channel, phone, email = data.get("channel"), data.get("phone"), data.get("email")
        if channel == StaffInvitation.Channel.SMS and not phone and "phone" not in self.errors:
            self.add_error("phone", _("Write a mobile number to send the invitation by SMS."))
        if channel == StaffInvitation.Channel.EMAIL and not email and "email" not in self.errors:
            self.add_error("email", _("Write an email address to send the invitation by email."))
        if self.errors:
            return data
        holder = actions.holder_of(email=email or "", phone=phone or "")
        if actions.is_on_staff(self.centre, holder):
            raise forms.ValidationError(
                _(
                    "%(name)s already works here with this email or phone. Give them a role on their page instead."
                )
                % {"name": actions.display(holder)}
            )
        data["phone"], data["email"] = phone or "", email or ""
        return data


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles in this centre"),
        choices=STAFF_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Why (kept with any pairing or shift that ends)"), max_length=300, required=False
    )


class DeactivateForm(forms.Form):
    note = forms.CharField(
        label=_("Why are they leaving? (kept with their ended pairings and in the audit log)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write a short reason.")},
    )

    def clean_note(self):
        note = " ".join(self.cleaned_data["note"].split())
        if not note:
            raise forms.ValidationError(_("Write a short reason."))
        return note


class AcceptForm(ChooseSignInForm):
    """A new member of staff completing the account made when they were invited."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("You sign in with this. You may change it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["username"].initial = user.username


# --- centre settings ---------------------------------------------------------------------

# field: (lowest, highest) — numbers a centre could mean; anything else is a typing slip
# (kendra.forms.Bounded keeps each field within them, with the range in words).
RANGES = {
    "beds": (1, 2000),
    "mentor_min_days_sober": (0, 3650),
    "mentor_contact_overdue_days": (1, 90),
    "help_escalation_minutes": (1, 240),
    "alert_escalation_hours": (1, 168),
    "alumni_weekly_weeks": (0, 52),
    "alumni_until_days": (1, 1095),
    "retention_months": (1, 1200),
    "youth_age_limit": (12, 40),
}
# Words that would tell whoever sees the phone what kind of centre this is.
TELLING_WORDS = ("nasha", "addiction", "rehab", "mukti", "sober", "नशा", "नशे", "मुक्ति")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CentreSettingsForm(KendraForm):
    number_ranges = RANGES
    closed_weekdays = forms.TypedMultipleChoiceField(
        label=_("Days the centre is closed to visitors"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Centre
        fields = [
            "name",
            "city",
            "state",
            "phone",
            "beds",
            "message_name",
            "anniversary_message",
            "emergency_phone",
            "help_escalation_minutes",
            "alert_escalation_hours",
            "mentor_min_days_sober",
            "mentor_contact_overdue_days",
            "same_gender_mentoring",
            "circle_notes_enabled",
            "closed_weekdays",
            "retention_months",
            "youth_age_limit",
            "early_contact_by",
        ]
        labels = {"same_gender_mentoring": _("Mentors of the same gender only")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_emergency_phone(self):
        return _any_phone(self.cleaned_data.get("emergency_phone"))

    def clean_anniversary_message(self):
        text = " ".join((self.cleaned_data.get("anniversary_message") or "").split())
        if any(word in text.lower() for word in TELLING_WORDS):
            raise forms.ValidationError(
                _("Keep it discreet: a phone's screen must not tell what the centre is.")
            )
        return text

    def clean_phone(self):
        return _any_phone(self.cleaned_data.get("phone"))


def _any_phone(raw):
    """A landline, mobile or short emergency number (112), stored in E.164 (kendra/phones.py)."""
    return phones.normalise_any(raw)


class CheckinDefaultsForm(KendraForm):
    number_ranges = RANGES

    class Meta:
        model = CheckinDefaults
        fields = [
            "local_time",
            "channel",
            "quiet_start",
            "quiet_end",
            "alumni_weekly_weeks",
            "alumni_until_days",
        ]
        widgets = {"local_time": TIME, "quiet_start": TIME, "quiet_end": TIME}
        help_texts = {
            "local_time": _("India time. Used for new reminder plans."),
            "quiet_start": _("No reminder is sent between these times."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "checkins")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            self.add_error("quiet_end", _("Give both ends of the quiet hours, or neither."))
        elif start is not None and start == end:
            self.add_error("quiet_end", _("Quiet hours must end at another time than they start."))
        return data


class ApplyDefaultsForm(forms.Form):
    times = forms.BooleanField(
        label=_("Use the centre's quiet hours and reminder time in every plan"),
        required=False,
        initial=True,
    )
    cadence = forms.BooleanField(
        label=_("Use the centre's default for how often in every plan"), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("times") and not data.get("cadence"):
            raise forms.ValidationError(_("Tick at least one of the two, or go back."))
        return data
