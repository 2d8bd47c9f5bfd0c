"""The filter of the group list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kendra.models import Role

from .forms import StaffChoiceField, staff_of
from .models import Audience, Kind


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds"))] + Kind.choices, required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=[("", _("Any audience"))] + Audience.choices, required=False
    )
    facilitator = StaffChoiceField(
        label=_("Facilitator"), queryset=None, required=False, empty_label=_("Anyone")
    )
    archived = forms.BooleanField(label=_("Show archived groups"), required=False)

    def __init__(self, *args, centre_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = staff_of(centre_ids, Role.COUNSELOR)

    def filter(self, groups):
        if not self.is_valid():
            return groups.filter(is_archived=False)
        data = self.cleaned_data
        if not data["archived"]:
            groups = groups.filter(is_archived=False)
        if data["q"]:
            groups = groups.filter(name__icontains=data["q"].strip())
        if data["kind"]:
            groups = groups.filter(kind=data["kind"])
        if data["audience"]:
            groups = groups.filter(audience=data["audience"])
        if data["facilitator"]:
            groups = groups.filter(facilitator=data["facilitator"])
        return groups
