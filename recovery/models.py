"""The relapse-prevention plan a resident carries: written with their counselor or mentor,
in the resident's own language, kept version by version (simple-history)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kendra.models import Centre, Language, Resident


def lines(text):
    """The non-empty lines of a text box: one item per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RecoveryPlan(models.Model):
    """One plan per resident; each save is a new version (its history row)."""

    resident = models.OneToOneField(
        Resident, on_delete=models.PROTECT, related_name="recovery_plan"
    )
    # Copied from the resident so lists can be scoped without a join.
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(
        _("written in"), max_length=5, choices=Language.choices, default=Language.HINDI
    )
    triggers = models.TextField(
        _("triggers"),
        blank=True,
        help_text=_("People, places and feelings that bring on a craving. One on each line."),
    )
    warning_signs = models.TextField(
        _("early warning signs"),
        blank=True,
        help_text=_("What shows things are going wrong. One on each line."),
    )
    what_helps = models.TextField(
        _("what helps"),
        blank=True,
        help_text=_("What to do when a craving comes. One on each line."),
    )
    reasons = models.TextField(
        _("reasons to stay well"), blank=True, help_text=_("One on each line.")
    )
    # [{"name": …, "phone": …, "who": "mentor" | "family" | "alumnus" | "other"}], copied
    # when the plan is saved so the card shows what the resident agreed to.
    people = models.JSONField(_("people to call"), default=list, blank=True)
    written_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written with"),
    )
    written_on = models.DateField(_("written on"))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relapse-prevention plan")
        verbose_name_plural = _("relapse-prevention plans")

    def __str__(self):
        return str(_("Relapse-prevention plan of %(name)s") % {"name": self.resident})

    def get_absolute_url(self):
        return reverse("recovery:plan", args=[self.resident_id])

    def as_lists(self):
        """The plan as the pages show it: each text box as a list of lines."""
        return {
            "triggers": lines(self.triggers),
            "warning_signs": lines(self.warning_signs),
            "what_helps": lines(self.what_helps),
            "reasons": lines(self.reasons),
            "people": [p for p in self.people if p.get("name") or p.get("phone")],
        }
