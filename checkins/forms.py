from django import forms
from django.utils.translation import gettext_lazy as _

from kendra.forms import KendraForm
from kendra.notify.outbox import RecipientError, address_for

from .models import CHANNELS, MOODS, ReminderPlan

CRAVINGS = [(n, str(n)) for n in range(11)]


class CheckInForm(forms.Form):
    """The personal link's form: a face, a number, an optional note."""

    mood = forms.TypedChoiceField(
        label=_("How are you feeling today?"),
        choices=MOODS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Tap the face that is closest to how you feel."),
            "invalid_choice": _("Choose one of the five faces."),
        },
    )
    craving = forms.TypedChoiceField(
        label=_("How strong is your craving today? 0 = none, 10 = very strong"),
        choices=CRAVINGS,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a number from 0 to 10.")},
    )
    note = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What was done?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write what was done, so the next person knows.")},
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Write what was done, so the next person knows."))
        return note


class ReminderPlanForm(KendraForm):
    channel = forms.ChoiceField(
        label=_("Send by"),
        choices=CHANNELS,
        error_messages={"invalid_choice": _("Choose SMS, email or in-Kendra message.")},
    )

    class Meta:
        model = ReminderPlan
        fields = ["cadence", "local_time", "channel", "quiet_start", "quiet_end", "paused"]
        widgets = {
            "local_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "local_time": _("India time."),
            "quiet_start": _("No message is sent between these times."),
            "paused": _("No reminders while paused. Check-ins by link still work."),
        }

    # Besides the form's fields, saving writes only these (worked out from them); the
    # tick's last_due_at and missed_in_a_row are never written from a form loaded earlier.
    DERIVED_FIELDS = ["next_due_at", "updated_at"]

    def saved_fields(self):
        return [*self._meta.fields, *self.DERIVED_FIELDS]

    def refresh_tick_fields(self, plan):
        """The tick's fields as they are now (the next reminder is worked out from them)."""
        fresh = ReminderPlan.objects.filter(pk=plan.pk).values("last_due_at", "missed_in_a_row")
        for field, value in fresh.get().items():
            setattr(plan, field, value)

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        resident = self.instance.resident
        name = resident.display_name
        if channel == "in_app":
            self.add_error(
                "channel",
                _(
                    "%(name)s has no Kendra login, so cannot get in-Kendra messages. Choose SMS or email."
                )
                % {"name": name},
            )
        elif channel:
            try:
                address_for(channel, resident=resident)
            except RecipientError:
                if channel == "sms":
                    msg = _(
                        "%(name)s has no phone number. Add one on the resident's page, or choose email."
                    )
                else:
                    msg = _(
                        "%(name)s has no email address. Add one on the resident's page, or choose SMS."
                    )
                self.add_error("channel", msg % {"name": name})
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            self.add_error("quiet_end", _("Give both ends of the quiet hours, or neither."))
        time = data.get("local_time")
        if time and start and end and start != end:
            inside = start <= time < end if start < end else (time >= start or time < end)
            if inside:
                self.add_error(
                    "local_time",
                    _("The reminder time falls in the quiet hours. Choose another time."),
                )
        return data
