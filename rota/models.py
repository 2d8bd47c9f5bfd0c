"""The on-duty rota: who is the counselor on duty, shift by shift, day and night.

The help path and the escalation of alerts ask `DutyShift.objects.on_duty(centre, at)`
(checkins asks it through kendra/providers.py). One person per shift; a shift taken off
the rota, or ended with its membership, is kept with a note, never deleted.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kendra.models import Role

DAY_STARTS = dt.time(8, 0)
NIGHT_STARTS = dt.time(20, 0)


class Shift(models.TextChoices):
    DAY = "day", _("Day (8:00 to 20:00)")
    NIGHT = "night", _("Night (20:00 to 8:00)")


def shift_at(when=None):
    """(date, shift) of the shift running at `when`: a night belongs to the day it starts."""
    local = timezone.localtime(when or timezone.now())
    if local.time() < DAY_STARTS:
        return local.date() - dt.timedelta(days=1), Shift.NIGHT
    if local.time() < NIGHT_STARTS:
        return local.date(), Shift.DAY
    return local.date(), Shift.NIGHT


def tonight(when=None):
    """The date whose night shift is "tonight": the running one before 8:00."""
    local = timezone.localtime(when or timezone.now())
    return local.date() - dt.timedelta(days=1) if local.time() < DAY_STARTS else local.date()


class DutyShiftQuerySet(models.QuerySet):
    def current(self):
        """Shifts on the rota (not taken off, not ended with their membership)."""
        return self.filter(ended_at__isnull=True)

    def on_duty(self, centre_id, when=None):
        """The shift(s) of counselors on duty at `when`, whose membership is still active."""
        date, shift = shift_at(when)
        return self.current().filter(
            centre_id=centre_id,
            date=date,
            shift=shift,
            membership__is_active=True,
            membership__role=Role.COUNSELOR,
        )


class DutyShift(models.Model):
    centre = models.ForeignKey(
        "kendra.Centre", on_delete=models.PROTECT, related_name="duty_shifts"
    )
    date = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=5, choices=Shift.choices)
    membership = models.ForeignKey(
        "kendra.Membership",
        on_delete=models.PROTECT,
        related_name="duty_shifts",
        verbose_name=_("counselor on duty"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("taken off the rota"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_note = models.TextField(_("note"), blank=True)

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        ordering = ["date", "shift"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "date", "shift"],
                condition=Q(ended_at__isnull=True),
                name="dutyshift_one_person_per_shift",
            )
        ]
        indexes = [models.Index(fields=["centre", "date"])]

    def __str__(self):
        return f"{self.date} {self.get_shift_display()}: {self.membership.user}"

    @property
    def starts_at(self):
        start = DAY_STARTS if self.shift == Shift.DAY else NIGHT_STARTS
        return timezone.make_aware(dt.datetime.combine(self.date, start))
