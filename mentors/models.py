"""Mentor pairings: who mentors whom, since when, and how often they are in touch."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from checkins.models import MOODS, Alert
from kendra.models import Centre


class MentorProfileQuerySet(models.QuerySet):
    def with_load(self):
        """Annotate `load`: how many active pairings each mentor has now."""
        return self.annotate(
            load=Count("pairings", filter=Q(pairings__ended_at__isnull=True), distinct=True)
        )

    def eligible(self, centre, today=None):
        """Mentors of `centre` who may take a mentee now (capacity is checked separately)."""
        today = today or timezone.localdate()
        flagged = Alert.objects.open().values("resident_id")
        return self.filter(
            centre=centre,
            accepts_mentees=True,
            resident__sobriety_date__lte=today - dt.timedelta(days=centre.mentor_min_days_sober),
        ).exclude(resident_id__in=flagged)


class MentorProfile(models.Model):
    """An alumnus or senior resident who mentors newer residents.

    `resident` is their own record (sobriety, languages, gender); `user` is the login
    they sign in with as a mentor, if they have one (reminders go there).
    """

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="mentor_profiles", verbose_name=_("centre")
    )
    resident = models.OneToOneField(
        "kendra.Resident",
        on_delete=models.PROTECT,
        related_name="mentor_profile",
        verbose_name=_("mentor (resident or alumnus record)"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor_profile",
        verbose_name=_("sign-in account"),
        help_text=_("The account this mentor signs in with. Reminders go there."),
    )
    accepts_mentees = models.BooleanField(_("accepts new mentees"), default=True)
    capacity = models.PositiveSmallIntegerField(
        _("most mentees at once"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    languages = models.JSONField(
        _("other languages spoken"),
        default=list,
        blank=True,
        help_text=_("Besides the languages on their resident record."),
    )
    availability = models.TextField(
        _("availability"), blank=True, help_text=_("For example: evenings after 6, not Sundays.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["resident__full_name"]
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=10), name="mentor_capacity_1_10"
            )
        ]

    def __str__(self):
        return str(self.resident)

    @property
    def name(self):
        return self.resident.full_name

    def all_languages(self):
        return list(dict.fromkeys([*self.resident.languages, *self.languages]))

    def days_sober(self, today=None):
        return self.resident.days_sober(today)

    def ineligible_reason(self, today=None, has_open_alert=None):
        """Why this mentor cannot take a mentee now, in words; None when they can."""
        days = self.days_sober(today)
        needed = self.centre.mentor_min_days_sober
        if not self.accepts_mentees:
            return _("%(name)s is not taking new mentees.") % {"name": self.name}
        if days is None or days < needed:
            return _("%(name)s needs %(needed)s days sober to mentor (has %(days)s).") % {
                "name": self.name,
                "needed": needed,
                "days": days if days is not None else 0,
            }
        if has_open_alert is None:
            has_open_alert = Alert.objects.open().filter(resident_id=self.resident_id).exists()
        if has_open_alert:
            return _("%(name)s has an open early-warning alert and cannot mentor now.") % {
                "name": self.name
            }
        return None


class PairingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def ended(self):
        return self.filter(ended_at__isnull=False)

    def with_last_contact(self):
        return self.annotate(
            last_contact_at=Max("contacts__at"),
            last_touch=Coalesce(Max("contacts__at"), F("started_at")),
        )

    def overdue(self, now=None):
        """Active pairings with no contact for longer than their centre allows."""
        now = now or timezone.now()
        late = Q(pk__in=[])
        centre_ids = self.values("centre_id")
        for centre_id, days in Centre.objects.filter(pk__in=centre_ids).values_list(
            "pk", "mentor_contact_overdue_days"
        ):
            late |= Q(centre_id=centre_id, last_touch__lt=now - dt.timedelta(days=days))
        return self.active().with_last_contact().filter(late)


class Pairing(models.Model):
    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        REASSIGNED = "reassigned", _("Reassigned to another mentor")
        MENTEE_LEFT = "mentee_left", _("Mentee left the programme")
        MENTOR_STEPPED_BACK = "mentor_stepped_back", _("Mentor stepped back")

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("centre")
    )
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        "kendra.Resident",
        on_delete=models.PROTECT,
        related_name="mentor_pairings",
        verbose_name=_("mentee"),
    )
    stay = models.ForeignKey(
        "kendra.Stay",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings",
        verbose_name=_("stay"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("note on ending"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = PairingQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(ended_at__isnull=True),
                name="pairing_one_active_per_mentee",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_reason="")
                | Q(ended_at__isnull=False) & ~Q(end_reason=""),
                name="pairing_ended_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "ended_at", "-started_at"]),
            models.Index(fields=["mentor", "ended_at"]),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"

    @property
    def is_active(self):
        return self.ended_at is None

    def stay_key(self):
        return self.mentee_id, self.started_at


class ContactLog(models.Model):
    """One contact between mentor and mentee. Seen by the mentor, peer leaders and
    counselors of the centre; never by family members."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        CALL = "call", _("Phone call")
        MESSAGE = "message", _("Message")

    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT, related_name="contacts")
    at = models.DateTimeField(_("when"), default=timezone.now)
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    mood = models.PositiveSmallIntegerField(
        _("mentee's mood"),
        choices=MOODS,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    note = models.TextField(_("short note"), max_length=1000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["pairing", "-at"])]
        constraints = [
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=5), name="contact_mood_1_5")
        ]

    def __str__(self):
        return f"{self.pairing} {self.at:%Y-%m-%d}"

    @property
    def centre(self):
        return self.pairing.centre
