"""Check-ins ("How are you feeling today?") and the early-warning alerts they raise."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MOODS = [
    (1, _("Very bad")),
    (2, _("Bad")),
    (3, _("Okay")),
    (4, _("Good")),
    (5, _("Very good")),
]


class CheckIn(models.Model):
    class Source(models.TextChoices):
        CIRCLE = "circle", _("Morning circle")
        LINK = "link", _("Personal link")
        MENTOR_CALL = "mentor_call", _("Mentor call")

    resident = models.ForeignKey(
        "kendra.Resident", on_delete=models.PROTECT, related_name="checkins"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    mood = models.PositiveSmallIntegerField(
        _("mood"), choices=MOODS, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    craving = models.PositiveSmallIntegerField(
        _("craving"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    help_requested = models.BooleanField(_("asked for help"), default=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["resident", "-at"])]
        constraints = [
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=5), name="checkin_mood_1_5"),
            models.CheckConstraint(
                condition=Q(craving__isnull=True) | Q(craving__lte=10), name="checkin_craving_0_10"
            ),
        ]

    def __str__(self):
        return f"{self.resident} {self.at:%Y-%m-%d} mood {self.mood}"


class AlertQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Alert.Status.RESOLVED)


class Alert(models.Model):
    """An early warning about one person, with the reason in words. Goes to the mentor
    first and to the counselor; staff acknowledge and resolve it with a note."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    class Rule(models.TextChoices):
        MISSED_CHECKINS = "missed_checkins", _("Two check-ins missed in a row")
        LOW_MOOD = "low_mood", _("Low mood")
        HIGH_CRAVING = "high_craving", _("Strong craving")
        LOW_ATTENDANCE = "low_attendance", _("Attendance under 50% in 14 days")
        HELP_REQUEST = "help_request", _("Asked for help")

    resident = models.ForeignKey("kendra.Resident", on_delete=models.PROTECT, related_name="alerts")
    centre = models.ForeignKey("kendra.Centre", on_delete=models.PROTECT, related_name="alerts")
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    reason = models.TextField(_("reason"))
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(_("resolution note"), blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["centre", "status", "-raised_at"])]

    def __str__(self):
        return f"{self.resident}: {self.get_rule_display()}"
