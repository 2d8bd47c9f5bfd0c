import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Language, Resident, Substance

PHONE_RE = re.compile(r"^[6-9]\d{9}$")


def normalise_phone(raw):
    """Indian mobile numbers in one spelling (+91 and ten digits), or a ValidationError."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if not digits:
        return ""
    if digits.startswith("+91"):
        digits = digits[3:]
    elif digits.startswith("0091"):
        digits = digits[4:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if not PHONE_RE.match(digits):
        raise forms.ValidationError(
            _("Enter a 10-digit mobile number, for example 98765 43210."), code="phone"
        )
    return "+91" + digits


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def limit_centre_field(form, centres):
    """Offer only `centres` in the form's centre field; with just one, choose it quietly.

    Returns the centres' ids (for narrowing other choices to the same centres).
    """
    field = form.fields["centre"]
    field.queryset = centres
    field.empty_label = None
    only = list(centres[:2])
    if len(only) == 1:
        field.initial = only[0].pk
        field.widget = forms.HiddenInput()
    return [c.pk for c in centres]


class KendraForm(forms.ModelForm):
    """Crispy rendering without a <form> tag: templates own the form element and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ResidentForm(KendraForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    primary_substances = forms.MultipleChoiceField(
        label=_("Primary substance(s)"),
        choices=Substance.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Resident
        fields = [
            "centre",
            "full_name",
            "preferred_name",
            "gender",
            "date_of_birth",
            "languages",
            "primary_substances",
            "phone",
            "email",
            "preferred_language",
            "admission_date",
            "sobriety_date",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "admission_date": DateInput(),
            "sobriety_date": DateInput(),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, centres=None, check_duplicates=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_duplicates = check_duplicates
        if self.instance.pk:
            del self.fields["centre"]
        else:
            limit_centre_field(self, centres)
            self.fields["admission_date"].initial = timezone.localdate()

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Enter the resident's full name."))
        return name

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born:
            today = timezone.localdate()
            if born > today:
                raise forms.ValidationError(_("The date of birth cannot be in the future."))
            if today.year - born.year > 110:
                raise forms.ValidationError(
                    _("Check the year of birth: that is over 110 years ago.")
                )
        return born

    def clean_admission_date(self):
        admitted = self.cleaned_data.get("admission_date")
        if admitted and admitted > timezone.localdate():
            raise forms.ValidationError(
                _(
                    "The admission date cannot be in the future. Admit the resident on the day they arrive."
                )
            )
        return admitted

    def clean_sobriety_date(self):
        sober = self.cleaned_data.get("sobriety_date")
        if sober and sober > timezone.localdate():
            raise forms.ValidationError(_("The sobriety date cannot be in the future."))
        return sober

    def clean(self):
        data = super().clean()
        born, sober = data.get("date_of_birth"), data.get("sobriety_date")
        admitted = data.get("admission_date")
        if born and sober and sober < born:
            self.add_error(
                "sobriety_date", _("The sobriety date cannot be before the date of birth.")
            )
        if born and admitted and admitted < born:
            self.add_error(
                "admission_date", _("The admission date cannot be before the date of birth.")
            )
        if self.instance.pk and self.instance.discharge_date and admitted:
            if admitted > self.instance.discharge_date:
                self.add_error(
                    "admission_date", _("The admission date cannot be after the discharge date.")
                )
        phone = data.get("phone")
        centre = data.get("centre") or getattr(self.instance, "centre", None)
        if phone and centre and self.check_duplicates:
            clash = Resident.objects.filter(centre=centre, phone=phone).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "phone",
                    _("Another resident of this centre already has this phone number."),
                )
        return data


class DischargeForm(KendraForm):
    class Meta:
        model = Resident
        fields = ["discharge_date", "discharge_reason", "discharge_note"]
        widgets = {
            "discharge_date": DateInput(),
            "discharge_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discharge_date"].required = True
        self.fields["discharge_reason"].required = True
        self.fields["discharge_date"].initial = timezone.localdate()

    def clean_discharge_date(self):
        day = self.cleaned_data["discharge_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The discharge date cannot be in the future."))
        if day < self.instance.admission_date:
            raise forms.ValidationError(
                _("The discharge date cannot be before the admission date (%(date)s).")
                % {"date": self.instance.admission_date.strftime("%d/%m/%Y")}
            )
        return day

    def clean(self):
        data = super().clean()
        if not self.instance.is_admitted:
            raise forms.ValidationError(_("This resident has already been discharged."))
        return data
