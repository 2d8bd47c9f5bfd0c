import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from kendra.forms import REPORTS, Bounded, DateInput

MAX_DAYS = 366


class PeriodForm(Bounded, forms.Form):
    """The report's date range (both days included). Read from the query string."""

    date_windows = {"start": REPORTS, "end": REPORTS}

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end date is before the start date."))
            if end - start > dt.timedelta(days=MAX_DAYS):
                raise forms.ValidationError(_("Choose a period of one year or less."))
        return cleaned
