import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import phones
from .models import Language, MessageChannel, Resident, Substance
from .stays import ReferralSource

# Phone numbers are read by kendra/phones.py (the phonenumbers library): any common
# spelling, stored in E.164, landlines refused for the numbers Kendra writes to.
normalise_phone = phones.normalise_mobile


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


# --- Bounds: what a number or a date may be, written once for every form -----------------
# A number larger than its column, or a date near year 1 or 9999, must come back as a
# message in words, never reach the database or date arithmetic (a server error).

EARLIEST = dt.date(1900, 1, 1)
REPORTS_EARLIEST = dt.date(2000, 1, 1)  # before any centre kept records in Kendra
INT4 = (-(2**31), 2**31 - 1)
INT8 = (-(2**63), 2**63 - 1)


def today():
    return timezone.localdate()


def years_from_today(years):
    """A function giving the day `years` years from today (back if negative)."""
    return lambda: today() + dt.timedelta(days=round(365.25 * years))


# Windows (earliest, latest) by what a date means; each end a date or a function of none.
BIRTH = (EARLIEST, today)  # born after 1900, not in the future
HAPPENED = (EARLIEST, today)  # admission, sobriety, discharge, relapse: not in the future
SCHEDULE = (years_from_today(-5), years_from_today(2))  # sessions, meetings, visits
REPORTS = (REPORTS_EARLIEST, years_from_today(1))  # report and register periods
ANY_DATE = (EARLIEST, years_from_today(10))  # a date nothing more is known about


def text_param(params, name):
    """A query-string text (a search, a city): trimmed, its NUL characters dropped (the
    database refuses them, and no one types them)."""
    return (params.get(name) or "").replace("\x00", "").strip()


def int_param(raw):
    """A query-string id or number: an int if `raw` is plain ASCII digits a bigint holds,
    else None (so "²", "1e309" or 23 digits are ignored, never a server error)."""
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


class DateWindowValidator:
    """Refuses a date (or the day of a date-time) outside a window, saying which."""

    def __init__(self, earliest, latest):
        self.earliest, self.latest = earliest, latest

    def __call__(self, value):
        day = value.date() if isinstance(value, dt.datetime) else value
        earliest, latest = (end() if callable(end) else end for end in (self.earliest, self.latest))
        if day > latest and latest == today():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        if not earliest <= day <= latest:
            raise forms.ValidationError(
                _("Choose a date between %(earliest)s and %(latest)s."),
                code="date_window",
                params={
                    "earliest": date_format(earliest, "d/m/Y"),
                    "latest": date_format(latest, "d/m/Y"),
                },
            )


def column_range(form, name):
    """The (lowest, highest) a ModelForm field's integer column holds, or None."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    try:
        internal = model._meta.get_field(name).get_internal_type()
    except (AttributeError, FieldDoesNotExist):
        return None
    low, high = connection.ops.integer_field_range(internal)
    return (INT8[0] if low is None else low, INT8[1] if high is None else high)


def bound_number(field, low, high, message=None):
    """Keep an integer field within [low, high], tightening (never loosening) its own
    bounds, with a message in words."""
    if field.min_value is None or field.min_value < low:
        field.min_value = low
        field.validators.append(MinValueValidator(low))
    if field.max_value is None or field.max_value > high:
        field.max_value = high
        field.validators.append(MaxValueValidator(high))
    field.widget.attrs.update({"min": field.min_value, "max": field.max_value})
    words = message or _("Enter a whole number from %(low)s to %(high)s.") % {
        "low": field.min_value,
        "high": field.max_value,
    }
    for code in ("min_value", "max_value"):
        field.error_messages.setdefault(code, words)


def bound_fields(form):
    """Every integer field within its column (or the form's `number_ranges`), every date
    field within its window (the form's `date_windows`, else ANY_DATE)."""
    ranges = getattr(form, "number_ranges", {})
    windows = getattr(form, "date_windows", {})
    for name, field in form.fields.items():
        if isinstance(field, forms.IntegerField):
            column = column_range(form, name)
            low, high, *message = ranges.get(name, column or INT4)  # no column: int4's
            column_low, column_high = column or INT8
            bound_number(field, max(low, column_low), min(high, column_high), *message)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(DateWindowValidator(*windows.get(name, ANY_DATE)))


class Bounded:
    """Mixin for every Kendra form: numbers and dates within bounds (see bound_fields)."""

    number_ranges = {}  # field name -> (lowest, highest[, message in words])
    date_windows = {}  # field name -> (earliest, latest)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_fields(self)


class KendraForm(Bounded, forms.ModelForm):
    """Crispy rendering without a <form> tag: templates own the form element and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class KendraPlainForm(Bounded, forms.Form):
    """A form with no model, bounded like the others."""


class ResidentForm(KendraForm):
    date_windows = {"date_of_birth": BIRTH, "admission_date": HAPPENED, "sobriety_date": HAPPENED}

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
            "message_channel",
            "joins_groups_for",
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
        self.fields["joins_groups_for"].help_text = _(
            "Only for the gender “other”: the men's or the women's groups they choose to "
            "join. Leave empty until they have chosen."
        )
        self.fields["message_channel"].choices = [
            ("", _("Kendra's choice (SMS, or in Kendra)")),
            *MessageChannel.choices,
        ]
        if self.instance.pk:
            del self.fields["centre"]
        else:
            limit_centre_field(self, centres)
            self.fields["admission_date"].initial = timezone.localdate()
            self.fields["referral_source"] = forms.ChoiceField(
                label=_("Referred by"), choices=[("", "—"), *ReferralSource.choices], required=False
            )
            self.fields["checkin_consent"] = forms.BooleanField(
                label=_("Agrees to receive check-in reminders by SMS"),
                required=False,
                help_text=_("Without a phone and this agreement, they check in at the circle."),
            )

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
        if data.get("joins_groups_for") and data.get("gender") != "other":
            data["joins_groups_for"] = ""  # a choice only someone of "other" gender makes
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
    date_windows = {"discharge_date": HAPPENED}

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


class ChooseSignInForm(forms.Form):
    """A username and a password twice, for someone accepting an invitation (families and
    staff). `user` is the account being completed, if it exists already."""

    username = forms.CharField(
        label=_("Choose a username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. You will type it to sign in."),
    )
    password1 = forms.CharField(
        label=_("Choose a password"), strip=False, widget=forms.PasswordInput
    )
    password2 = forms.CharField(
        label=_("Type the password again"), strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_username(self):
        User = get_user_model()
        username = self.cleaned_data["username"].strip()
        User._meta.get_field("username").run_validators(username)
        taken = User.objects.filter(username__iexact=username)
        if self.user is not None:
            taken = taken.exclude(pk=self.user.pk)
        if taken.exists():
            raise forms.ValidationError(_("This username is taken. Please choose another."))
        return username

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            who = self.user or get_user_model()(username=data.get("username") or "")
            try:
                password_validation.validate_password(p1, who)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
