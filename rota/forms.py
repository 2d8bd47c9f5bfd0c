from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kendra.models import Membership, Role

from .models import DutyShift, Shift

MOST_DAYS = 62


class CounselorChoice(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        return membership.user.get_full_name() or membership.user.username


class AddShiftsForm(forms.Form):
    """One person, one kind of shift, every day from the first to the last."""

    membership = CounselorChoice(
        queryset=Membership.objects.none(),
        label=gettext_lazy("Counselor on duty"),
        empty_label=gettext_lazy("Choose a counselor"),
        error_messages={"required": gettext_lazy("Choose who is on duty.")},
    )
    shift = forms.ChoiceField(
        label=gettext_lazy("Shift"),
        choices=[("", gettext_lazy("Choose day or night"))] + Shift.choices,
        error_messages={"required": gettext_lazy("Choose the day or the night shift.")},
    )
    first = forms.DateField(
        label=gettext_lazy("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": gettext_lazy("Give the first day.")},
    )
    last = forms.DateField(
        label=gettext_lazy("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for one day only."),
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["membership"].queryset = (
            Membership.objects.filter(centre=centre, role=Role.COUNSELOR, is_active=True)
            .select_related("user")
            .order_by("user__first_name", "user__username")
        )

    def clean(self):
        data = super().clean()
        first, shift = data.get("first"), data.get("shift")
        if not first or not shift:
            return data
        last = data.get("last") or first
        data["last"] = last
        if last < first:
            raise forms.ValidationError(
                _("The last day is before the first day, so these shifts would be empty.")
            )
        if first < timezone.localdate():
            raise forms.ValidationError(_("The rota is for today and the days ahead."))
        if (last - first).days >= MOST_DAYS:
            raise forms.ValidationError(_("Add at most %(n)s days at a time.") % {"n": MOST_DAYS})
        taken = list(
            DutyShift.objects.current()
            .filter(centre=self.centre, shift=shift, date__range=(first, last))
            .select_related("membership__user")
            .order_by("date")[:5]
        )
        if taken:
            raise forms.ValidationError(
                [overlap_message(s) for s in taken]
                + [_("Take those shifts off the rota first, or choose other days.")]
            )
        return data


def overlap_message(shift):
    user = shift.membership.user
    return _("%(name)s is already on duty: %(shift)s, %(day)s.") % {
        "name": user.get_full_name() or user.username,
        "shift": shift.get_shift_display(),
        "day": date_format(shift.date, "SHORT_DATE_FORMAT"),
    }
