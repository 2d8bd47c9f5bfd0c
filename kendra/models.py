"""The core domain: centres, residents, who works where (memberships), consent, audit."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kendra.choices import (  # noqa: F401 (re-exported: models are where apps look)
    DischargeReason,
    Gender,
    Language,
    MessageChannel,
    Role,
    Substance,
    Weekday,
    message_channel_error,
)
from kendra.signals import consent_withdrawn


class Centre(models.Model):
    """One Nasha Mukti Kendra. Its settings are the defaults the apps read."""

    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    beds = models.PositiveIntegerField(_("beds"), default=40)
    same_gender_mentoring = models.BooleanField(_("mentors of the same gender only"), default=True)
    mentor_min_days_sober = models.PositiveIntegerField(
        _("days sober before someone can mentor"), default=180
    )
    mentor_contact_overdue_days = models.PositiveIntegerField(
        _("mentor contact overdue after (days)"), default=7
    )
    circle_notes_enabled = models.BooleanField(
        _("allow content notes in sharing circles"), default=False
    )
    closed_weekdays = models.JSONField(
        _("days the centre is closed to visitors"), default=list, blank=True
    )
    emergency_phone = models.CharField(
        _("emergency number"),
        max_length=20,
        blank=True,
        help_text=_("Shown to a resident who asks for help when nobody could be reached."),
    )
    help_escalation_minutes = models.PositiveIntegerField(
        _("minutes before an unanswered help request goes further"),
        default=15,
        validators=[MinValueValidator(1)],
    )
    alert_escalation_hours = models.PositiveIntegerField(
        _("hours before an unanswered alert goes further"),
        default=24,
        validators=[MinValueValidator(1)],
    )
    message_name = models.CharField(
        _("name shown in messages"),
        max_length=60,
        blank=True,
        help_text=_(
            "How SMS, emails and calendars name the centre. Leave empty for the word "
            "Kendra and the city. Choose a name that says nothing about treatment."
        ),
    )
    retention_months = models.PositiveIntegerField(
        _("erase discharged people after (months)"),
        null=True,
        blank=True,
        help_text=_(
            "After this many months from discharge, a centre admin can erase a person's "
            "details in bulk (the counts stay). Leave empty to keep them."
        ),
    )
    anniversary_message = models.CharField(
        _("words for an alumnus's anniversary"),
        max_length=30,
        blank=True,
        help_text=_(
            "Up to 30 letters, sent after the congratulation on 1, 3 and 6 months and each "
            "year. Leave empty for “Warm wishes from all of us.” Say nothing about treatment."
        ),
    )
    youth_age_limit = models.PositiveSmallIntegerField(
        _("youth groups: age up to"), default=25, db_default=25
    )
    early_contact_by = models.CharField(
        _("who calls someone who left against advice (24 hours, 3 and 7 days)"),
        max_length=20,
        choices=[
            (Role.COUNSELOR, _("Counselor")),
            (Role.ALUMNI_COORDINATOR, _("Alumni coordinator")),
        ],
        default=Role.ALUMNI_COORDINATOR,
        db_default=Role.ALUMNI_COORDINATOR,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")

    def __str__(self):
        return self.name

    @property
    def name_in_messages(self):
        """The discreet name messages use: never the centre's full name by default."""
        return self.message_name or " ".join(filter(None, ["Kendra", self.city]))


class ResidentQuerySet(models.QuerySet):
    def admitted(self):
        return self.filter(status=Resident.Status.ADMITTED)

    def discharged(self):
        return self.filter(status=Resident.Status.DISCHARGED)

    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(full_name__icontains=text)
            | Q(preferred_name__icontains=text)
            | Q(phone__icontains=text)
        )


class Resident(models.Model):
    """A person in residential treatment, or who was. Never deleted: discharged, and kept."""

    class Status(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        DISCHARGED = "discharged", _("Discharged")

    DischargeReason = DischargeReason

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="residents", verbose_name=_("centre")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_name = models.CharField(
        _("preferred name"), max_length=100, blank=True, help_text=_("What they like to be called.")
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    primary_substances = models.JSONField(_("primary substance(s)"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("language for messages"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="hi",
    )
    message_channel = models.CharField(
        _("send messages by"),
        max_length=10,
        choices=MessageChannel.choices,
        blank=True,
        db_default="",
    )
    admission_date = models.DateField(_("admission date"))
    sobriety_date = models.DateField(_("sobriety date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ADMITTED
    )
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=20, choices=DischargeReason.choices, blank=True
    )
    discharge_date = models.DateField(_("discharge date"), null=True, blank=True)
    discharge_note = models.TextField(_("discharge note"), blank=True)
    # For a gender of "other": the men's or women's groups they chose to join, as the
    # counselor recorded it (kept in history); blank: neither.
    joins_groups_for = models.CharField(
        _("joins groups for"),
        max_length=10,
        choices=[(Gender.MALE, _("Men")), (Gender.FEMALE, _("Women"))],
        blank=True,
        db_default="",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResidentQuerySet.as_manager()
    history = HistoricalRecords()
    # Kept when the person is erased (kendra/erasure.py): categories the reports count,
    # which say nothing about who the person is.
    erasure_keeps = ("languages", "primary_substances")

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "phone"],
                condition=~Q(phone=""),
                name="resident_phone_unique_per_centre",
            ),
            models.CheckConstraint(
                condition=Q(status="admitted") | Q(discharge_date__isnull=False),
                name="resident_discharged_has_date",
            ),
        ]
        indexes = [models.Index(fields=["centre", "status", "full_name"])]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("resident_detail", args=[self.pk])

    def clean(self):
        super().clean()
        problem = message_channel_error(self.message_channel, self.phone, self.email)
        if problem:
            raise ValidationError({"message_channel": problem})

    @property
    def display_name(self):
        return self.preferred_name or self.full_name

    @property
    def is_admitted(self):
        return self.status == self.Status.ADMITTED

    def days_sober(self, today=None):
        if not self.sobriety_date:
            return None
        today = today or timezone.localdate()
        return (today - self.sobriety_date).days

    def age(self, today=None):
        if not self.date_of_birth:
            return None
        today = today or timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def get_stage_display(self):
        """The stage of the open stay, where the list annotated it (stays.with_stage)."""
        return dict(Stage.choices).get(getattr(self, "stage", None), "")

    def get_languages_display(self):
        labels = dict(Language.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.languages)

    def get_primary_substances_display(self):
        labels = dict(Substance.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.primary_substances)


class Membership(models.Model):
    """Who works where, as what. A user may hold several roles, in several centres."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "centre", "role"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.centre}"


class Profile(models.Model):
    """Per-user preferences that are not about a centre."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    message_channel = models.CharField(
        _("send messages by"),
        max_length=10,
        choices=MessageChannel.choices,
        blank=True,
        db_default="",
    )
    # The centre a person with roles in several centres works in now (header switcher);
    # empty: all of their centres.
    current_centre = models.ForeignKey(
        "Centre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centre shown"),
    )

    def __str__(self):
        return f"{self.user} ({self.language})"

    def clean(self):
        super().clean()
        email = self.user.email if self.user_id else None
        problem = message_channel_error(self.message_channel, self.phone, email)
        if problem:
            raise ValidationError({"message_channel": problem})


class Consent(models.Model):
    """What a resident agreed to share, with whom; withdrawal takes effect at once."""

    class Purpose(models.TextChoices):
        FAMILY_SCHEDULE = "family_schedule", _("Share meeting schedule with a family member")
        ALUMNI_CONTACT = "alumni_contact", _("Be contacted as an alumnus")
        STORY_PUBLICATION = "story_publication", _("Publish a success story")
        CHECKIN_MESSAGES = "checkin_messages", _("Receive check-in reminders")

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_received",
        verbose_name=_("shared with"),
    )
    grantee_description = models.CharField(
        _("shared with (description)"), max_length=200, blank=True
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["grantee", "purpose", "withdrawn_at"])]

    def __str__(self):
        return f"{self.resident} · {self.get_purpose_display()}"

    @property
    def in_force(self):
        return self.withdrawn_at is None

    def withdraw(self, by):
        if self.withdrawn_at is None:
            self.withdrawn_at = timezone.now()
            self.withdrawn_by = by
            self.save(update_fields=["withdrawn_at", "withdrawn_by"])
            consent_withdrawn.send(sender=Consent, consent=self, by=by)


class AuditEvent(models.Model):
    """Append-only trail: who did or saw what, when. Rows are never updated."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    centre = models.ForeignKey(Centre, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["centre", "-at"]), models.Index(fields=["resident", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)


def new_token():
    """A random, unguessable token for public links (calendar feeds, check-in links)."""
    return secrets.token_urlsafe(24)


class ErasureRequest(models.Model):
    """A request to erase a discharged person's details. One centre admin asks (with a
    reason), a second confirms; erasure at the end of the retention period is confirmed
    by one admin after a dry run. The row is kept, without anything personal, as the
    record of who erased, when and why (with the audit events)."""

    class Reason(models.TextChoices):
        PERSON_ASKED = "person_asked", _("The person asked to be erased")
        RETENTION = "retention", _("The centre's retention period has ended")
        OTHER = "other", _("Another lawful reason (write it in the note)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second admin")
        DONE = "done", _("Erased")
        CANCELLED = "cancelled", _("Cancelled")

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="erasures")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(status="pending"),
                name="erasure_one_pending_per_resident",
            ),
            models.CheckConstraint(
                condition=~Q(confirmed_by=models.F("requested_by")) | Q(reason="retention"),
                name="erasure_confirmed_by_a_second_admin",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.get_status_display()}"


from kendra.import_jobs import ImportJob  # noqa: E402, F401 (the model lives in import_jobs.py)
from kendra.stays import Stage, StageChange, Stay  # noqa: E402, F401 (models live in stays.py)
