import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kendra.forms import KendraForm

from . import contacts
from .models import RecoveryPlan

FREE_ROWS = 3
PHONE = re.compile(r"^\+?[\d\s\-()]{6,20}$")
WHO_LABELS = {
    "mentor": _("Mentor"),
    "family": _("Family"),
    "alumnus": _("Alumnus"),
    "other": _("Someone else"),
}


class RecoveryPlanForm(KendraForm):
    """The plan's text boxes, the resident's real contacts to tick and up to three people
    typed in (name and number)."""

    chosen = forms.MultipleChoiceField(
        label=_("People to call from their contacts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    alumnus = forms.ChoiceField(label=_("An alumnus to call"), required=False)

    class Meta:
        model = RecoveryPlan
        fields = ["language", "triggers", "warning_signs", "what_helps", "reasons"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("triggers", "warning_signs", "what_helps", "reasons")
        }

    def __init__(self, *args, resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = contacts.known(resident)
        labelled = {
            key: f"{WHO_LABELS[c['who']]}: {c['name']} ({c['phone'] or _('no number')})"
            for key, c in self.known.items()
        }
        self.fields["chosen"].choices = [
            (k, v) for k, v in labelled.items() if not k.startswith("alumnus:")
        ]
        self.fields["alumnus"].choices = [("", _("Nobody"))] + [
            (k, v) for k, v in labelled.items() if k.startswith("alumnus:")
        ]
        for n in range(1, FREE_ROWS + 1):
            self.fields[f"other_name_{n}"] = forms.CharField(
                label=_("Someone else: name"), max_length=100, required=False
            )
            self.fields[f"other_phone_{n}"] = forms.CharField(
                label=_("Their phone"), max_length=20, required=False
            )
        if not self.is_bound:
            self._fill_initial(resident)

    def _fill_initial(self, resident):
        people = self.instance.people if self.instance.pk else []
        by_person = {(c["name"], c["phone"]): key for key, c in self.known.items()}
        chosen, free = [], []
        for person in people:
            key = by_person.get((person.get("name"), person.get("phone")))
            if key and key.startswith("alumnus:"):
                self.initial["alumnus"] = key
            elif key:
                chosen.append(key)
            else:
                free.append(person)
        self.initial["chosen"] = chosen
        if not self.instance.pk:
            self.initial["language"] = resident.preferred_language
        for n, person in enumerate(free[:FREE_ROWS], start=1):
            self.initial[f"other_name_{n}"] = person.get("name", "")
            self.initial[f"other_phone_{n}"] = person.get("phone", "")

    def clean(self):
        cleaned = super().clean()
        for n in range(1, FREE_ROWS + 1):
            name = (cleaned.get(f"other_name_{n}") or "").strip()
            phone = (cleaned.get(f"other_phone_{n}") or "").strip()
            if phone and not PHONE.match(phone):
                self.add_error(
                    f"other_phone_{n}", _("Enter a phone number: digits, spaces and + only.")
                )
            elif bool(name) != bool(phone):
                self.add_error(
                    f"other_name_{n}" if not name else f"other_phone_{n}",
                    _("Write both the name and the phone number, or neither."),
                )
        return cleaned

    def people(self):
        """The people to call, in the order of the form, copied from their contacts."""
        keys = list(self.cleaned_data.get("chosen") or [])
        if self.cleaned_data.get("alumnus"):
            keys.append(self.cleaned_data["alumnus"])
        people = [dict(self.known[key]) for key in keys if key in self.known]
        for n in range(1, FREE_ROWS + 1):
            name = self.cleaned_data.get(f"other_name_{n}", "").strip()
            if name:
                phone = self.cleaned_data[f"other_phone_{n}"].strip()
                people.append({"name": name, "phone": phone, "who": "other"})
        return people

    def free_rows(self):
        return [
            (self[f"other_name_{n}"], self[f"other_phone_{n}"]) for n in range(1, FREE_ROWS + 1)
        ]
