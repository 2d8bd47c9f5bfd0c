"""Forms for stays: admitting again, moving a stay to another stage."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import HAPPENED, DateInput, KendraPlainForm
from .stays import ReferralSource, Stage


class ReadmitForm(KendraPlainForm):
    date_windows = {"admission_date": HAPPENED}

    admission_date = forms.DateField(label=_("Admission date"), widget=DateInput())
    referral_source = forms.ChoiceField(
        label=_("Referred by"), choices=[("", "—"), *ReferralSource.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, resident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident
        self.fields["admission_date"].initial = timezone.localdate()

    def clean_admission_date(self):
        day = self.cleaned_data["admission_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The admission date cannot be in the future."))
        last = self.resident.discharge_date if self.resident else None
        if last and day <= last:
            raise forms.ValidationError(
                _(
                    "The new admission must be after the last discharge (%(date)s): stays "
                    "cannot overlap."
                )
                % {"date": last.strftime("%d/%m/%Y")}
            )
        return day


class StageForm(KendraPlainForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
