import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kendra.forms import HAPPENED, KendraForm
from kendra.models import Language, Membership, Resident, Role

from .models import ContactLog, MentorProfile, Pairing


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


class ContactLogForm(KendraForm):
    date_windows = {"at": HAPPENED}

    class Meta:
        model = ContactLog
        fields = ["at", "method", "mood", "note"]
        widgets = {
            "at": DateTimeInput(),
            "method": forms.RadioSelect,
            "mood": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        }

    def __init__(self, *args, pairing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairing = pairing
        self.fields["at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        self.fields["note"].help_text = _(
            "A few words on how it went. The mentor, peer leaders and counselors can read it."
        )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("The contact cannot be in the future."))
        if self.pairing and at < self.pairing.started_at - dt.timedelta(days=1):
            raise forms.ValidationError(_("The contact cannot be before the pairing started."))
        return at


class EndPairingForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why does the pairing end?"),
        choices=[
            (value, label)
            for value, label in Pairing.EndReason.choices
            if value != Pairing.EndReason.REASSIGNED
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReassignForm(forms.Form):
    mentor = forms.TypedChoiceField(label=_("New mentor"), coerce=int)
    note = forms.CharField(
        label=_("Why reassign? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [
            (s.mentor.pk, f"{s.mentor.name} — {', '.join(str(r) for r in s.reasons[:2])}")
            for s in suggestions
        ]


class MentorProfileForm(KendraForm):
    number_ranges = {"capacity": (1, 10, _("A mentor takes 1 to 10 mentees at once."))}
    languages = forms.MultipleChoiceField(
        label=_("Other languages spoken"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MentorProfile
        fields = ["resident", "user", "accepts_mentees", "capacity", "languages", "availability"]
        widgets = {"availability": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, centre_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["resident"]
            centre_ids = [self.instance.centre_id]
        else:
            self.fields["resident"].queryset = Resident.objects.filter(
                centre_id__in=centre_ids, mentor_profile__isnull=True
            ).order_by("full_name")
        mentor_users = Membership.objects.filter(
            centre_id__in=centre_ids, role=Role.MENTOR, is_active=True
        ).values("user_id")
        self.fields["user"].queryset = get_user_model().objects.filter(pk__in=mentor_users)
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        resident = data.get("resident") or getattr(self.instance, "resident", None)
        user = data.get("user")
        if resident and user:
            if not Membership.objects.filter(
                user=user, centre_id=resident.centre_id, role=Role.MENTOR, is_active=True
            ).exists():
                self.add_error("user", _("This account is not a mentor at this resident's centre."))
        capacity = data.get("capacity")
        if self.instance.pk and capacity:
            load = self.instance.pairings.filter(ended_at__isnull=True).count()
            if capacity < load:
                self.add_error(
                    "capacity",
                    _("This mentor has %(load)s mentees now; end a pairing before lowering this.")
                    % {"load": load},
                )
        return data

    def save(self, commit=True):
        profile = super().save(commit=False)
        if not profile.centre_id:
            profile.centre_id = profile.resident.centre_id
        if commit:
            profile.save()
        return profile
