"""The alumni network: profiles, visits back to the centre, follow-ups after discharge.

Milestones are not stored: they are computed from the resident's current sobriety date
(see milestones.py), so a relapse moves them at once and nothing goes stale.
"""

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kendra.models import Centre, Consent, Language, Resident

# A follow-up can be recorded from a week before its due date; two weeks after, it is overdue.
FOLLOWUP_OPENS_DAYS_BEFORE = 7
FOLLOWUP_OVERDUE_AFTER_DAYS = 14
FOLLOWUP_MONTHS = (1, 3, 6, 12)
# After leaving against advice: contact at 24 hours, 3 days and 7 days (urgent).
EARLY_CONTACT_DAYS = (1, 3, 7)
NOT_REACHED_AFTER_DAYS = 90


def add_months(day, months):
    """`day` plus whole months; the 31st (or 29 Feb) falls back to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contact_consent_in_force():
    """An Exists() for 'this alumnus's ALUMNI_CONTACT consent is in force now'."""
    return Exists(
        Consent.objects.filter(
            resident=OuterRef("resident"),
            purpose=Consent.Purpose.ALUMNI_CONTACT,
            withdrawn_at__isnull=True,
        )
    )


class AlumniProfileQuerySet(models.QuerySet):
    def with_consent(self):
        return self.annotate(contact_ok=contact_consent_in_force())

    def pending_decision(self):
        return self.filter(consent_decision=AlumniProfile.Decision.PENDING)

    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(resident__full_name__icontains=text)
            | Q(resident__preferred_name__icontains=text)
            | Q(city__icontains=text)
        )


class AlumniProfile(models.Model):
    """A resident who completed the programme and may stay connected."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        OPTED_IN = "opted_in", _("Agreed to be contacted")
        OPTED_OUT = "opted_out", _("Does not want to be contacted")

    resident = models.OneToOneField(
        Resident, on_delete=models.PROTECT, related_name="alumni_profile"
    )
    # Copied from the resident so every list can be scoped without a join.
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="alumni", verbose_name=_("centre")
    )
    consent_decision = models.CharField(
        _("contact consent"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    consent_decided_at = models.DateTimeField(_("decision recorded at"), null=True, blank=True)
    consent_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision recorded by"),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    available_for_visits = models.BooleanField(_("available for visits"), default=False)
    can_mentor = models.BooleanField(_("can mentor"), default=False)
    note = models.TextField(_("note"), blank=True)
    last_reached_on = models.DateField(
        _("last reached on"),
        null=True,
        blank=True,
        help_text=_("The last day someone from the centre spoke with them or saw them."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlumniProfileQuerySet.as_manager()

    class Meta:
        ordering = ["resident__full_name"]
        verbose_name = _("alumni profile")
        verbose_name_plural = _("alumni profiles")
        indexes = [models.Index(fields=["centre", "consent_decision"])]

    def __str__(self):
        return str(self.resident)

    def get_absolute_url(self):
        return reverse("alumni:detail", args=[self.pk])

    @property
    def sobriety_date(self):
        return self.resident.sobriety_date

    def get_languages_display(self):
        labels = dict(Language.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.languages)

    def contact_consent(self):
        """The ALUMNI_CONTACT consent in force, or None."""
        return (
            Consent.objects.filter(
                resident_id=self.resident_id,
                purpose=Consent.Purpose.ALUMNI_CONTACT,
                withdrawn_at__isnull=True,
            )
            .order_by("-given_at")
            .first()
        )


class Relapse(models.Model):
    """One relapse: the sobriety date before and after. Rows are history, never edited."""

    profile = models.ForeignKey(AlumniProfile, on_delete=models.PROTECT, related_name="relapses")
    relapsed_on = models.DateField(_("date of the relapse"))
    previous_sobriety_date = models.DateField(_("sobriety date before"), null=True, blank=True)
    new_sobriety_date = models.DateField(_("new sobriety date"))
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-relapsed_on", "-recorded_at"]
        verbose_name = _("relapse")
        verbose_name_plural = _("relapses")

    def __str__(self):
        return f"{self.profile} · {self.relapsed_on}"


class Visit(models.Model):
    """One or more alumni coming back to the centre."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Purpose(models.TextChoices):
        SHARE_STORY = "share_story", _("Share their story")
        LEAD_ACTIVITY = "lead_activity", _("Lead an activity")
        MEET_MENTEES = "meet_mentees", _("Meet mentees")
        MILESTONE = "milestone", _("Celebrate a milestone")

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="alumni_visits", verbose_name=_("centre")
    )
    alumni = models.ManyToManyField(AlumniProfile, related_name="visits", verbose_name=_("alumni"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    # The groups.Session this visit joins, if any. A plain id, not a foreign key: the
    # groups app is optional to this one (see conflicts.session_cancelled).
    session_id = models.PositiveIntegerField(
        _("group session joined"),
        null=True,
        blank=True,
        help_text=_("Number of the group session the visit joins, if any."),
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback = models.TextField(_("how it went"), blank=True)
    residents_reached = models.PositiveIntegerField(_("residents reached"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["centre", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="visit_ends_after_start"
            )
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.get_purpose_display()} · {local:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("alumni:visit", args=[self.pk])

    @property
    def is_open(self):
        return self.status in {self.Status.PROPOSED, self.Status.CONFIRMED}

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def local_date(self):
        return timezone.localtime(self.starts_at).date()


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(outcome="")

    def due(self, today):
        """Open and inside the window: from a week before the due date to two weeks after."""
        return self.open().filter(
            due_on__lte=today + dt.timedelta(days=FOLLOWUP_OPENS_DAYS_BEFORE),
            due_on__gte=today - dt.timedelta(days=FOLLOWUP_OVERDUE_AFTER_DAYS),
        )

    def overdue(self, today):
        return self.open().filter(due_on__lt=today - dt.timedelta(days=FOLLOWUP_OVERDUE_AFTER_DAYS))


class FollowUp(models.Model):
    """A contact after discharge, due at 1, 3, 6 and 12 months."""

    class Outcome(models.TextChoices):
        REACHED_SOBER = "reached_sober", _("Reached, sober")
        REACHED_STRUGGLING = "reached_struggling", _("Reached, struggling")
        RELAPSED = "relapsed", _("Reached, has relapsed")
        NOT_REACHED = "not_reached", _("Could not reach")
        DECLINED = "declined", _("Reached, did not want to talk")
        READMITTED = "readmitted", _("Readmitted (the follow-up ended)")

    # Outcomes where someone actually spoke with the alumnus: they count for the reach rate.
    REACHED = frozenset(
        {Outcome.REACHED_SOBER, Outcome.REACHED_STRUGGLING, Outcome.RELAPSED, Outcome.DECLINED}
    )

    profile = models.ForeignKey(AlumniProfile, on_delete=models.PROTECT, related_name="followups")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="alumni_followups")
    stay = models.ForeignKey(
        "kendra.Stay",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("stay"),
    )
    discharge_date = models.DateField(_("discharge date"))
    months = models.PositiveSmallIntegerField(_("months after discharge"))
    # The early contacts after leaving against advice (1, 3 and 7 days; months 0): urgent.
    days = models.PositiveSmallIntegerField(_("days after discharge"), default=0, db_default=0)
    due_on = models.DateField(_("due on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the centre admins were told it is overdue (once, alumni/reminders.py).
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "discharge_date", "months", "days"],
                name="followup_once_per_discharge",
            )
        ]
        indexes = [models.Index(fields=["centre", "outcome", "due_on"])]

    def __str__(self):
        return f"{self.profile} · {self.months} m {self.days} d · {self.due_on}"

    def get_absolute_url(self):
        return reverse("alumni:followup_outcome", args=[self.pk])

    @property
    def urgent(self):
        """An early contact after leaving against advice (24 hours, 3 or 7 days)."""
        return self.days > 0

    def after_display(self):
        if self.urgent:
            return ngettext("%(n)s day", "%(n)s days", self.days) % {"n": self.days}
        return ngettext("%(n)s month", "%(n)s months", self.months) % {"n": self.months}

    def opens_on(self):
        return self.due_on - dt.timedelta(days=FOLLOWUP_OPENS_DAYS_BEFORE)

    def state(self, today=None):
        """'done', 'upcoming', 'due' or 'overdue' (words, so status is not colour alone)."""
        today = today or timezone.localdate()
        if self.outcome:
            return "done"
        if today < self.opens_on():
            return "upcoming"
        if today > self.due_on + dt.timedelta(days=FOLLOWUP_OVERDUE_AFTER_DAYS):
            return "overdue"
        return "due"

    @property
    def reached(self):
        return self.outcome in self.REACHED

    def stay_key(self):
        return self.profile.resident_id, self.discharge_date


class SuccessStoryQuerySet(models.QuerySet):
    def with_consent_in_force(self):
        return self.annotate(
            consent_ok=Exists(
                Consent.objects.filter(pk=OuterRef("consent_id"), withdrawn_at__isnull=True)
            )
        )

    def visible(self):
        """Published, and the consent for this very story still in force: read every time,
        so a withdrawal (here or in the consent ledger) hides the story at once."""
        return self.filter(
            published=True,
            consent__isnull=False,
            consent__withdrawn_at__isnull=True,
            consent__purpose=Consent.Purpose.STORY_PUBLICATION,
        )


class SuccessStory(models.Model):
    """A story written with an alumnus; shown inside Kendra only with consent for this story."""

    profile = models.ForeignKey(
        AlumniProfile,
        on_delete=models.PROTECT,
        related_name="stories",
        verbose_name=_("alumnus"),
    )
    # Copied from the profile so every list can be scoped without a join.
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="alumni_stories", verbose_name=_("centre")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the story"))
    written_with = models.CharField(
        _("written with / by"),
        max_length=200,
        blank=True,
        help_text=_("Who wrote it, e.g. “told by Deepak, written down by Sunita”."),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # One consent per story (purpose STORY_PUBLICATION), never shared with another story.
    consent = models.OneToOneField(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="success_story",
        verbose_name=_("consent to publish"),
    )

    objects = SuccessStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")
        indexes = [models.Index(fields=["centre", "published"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("alumni:story", args=[self.pk])

    @property
    def is_withdrawn(self):
        return self.consent_id is not None and self.consent.withdrawn_at is not None

    @property
    def is_visible(self):
        return self.published and self.consent_id is not None and not self.is_withdrawn

    @property
    def is_draft(self):
        return not self.published

    def state_label(self):
        if self.is_withdrawn:
            return _("Consent withdrawn: hidden")
        if self.published:
            return _("Published")
        return _("Draft")
