"""Family members, family support groups and their meetings.

A family member is a user linked to a resident (FamilyMember). What they may see is
decided by families/access.py: only while the resident's FAMILY_SCHEDULE consent for that
user is in force. A FamilyGroup enrols residents (their families are invited); a
FamilyMeeting belongs either to a group or, as a family session, to one resident.
"""

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kendra.models import Centre, Resident, Weekday, new_token


def validate_web_link(value):
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValidationError(
            _("The online link must start with https:// or http:// (for example a Zoom link)."),
            code="link",
        )


class Relationship(models.TextChoices):
    PARENT = "parent", _("Parent")
    SPOUSE = "spouse", _("Spouse")
    SIBLING = "sibling", _("Brother or sister")
    CHILD = "child", _("Son or daughter")
    OTHER = "other", _("Other relative")


class FamilyMember(models.Model):
    """A user account linked to a resident. Access also needs the resident's consent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_links"
    )
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="family_members")
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [
            models.UniqueConstraint(fields=["user", "resident"], name="family_member_unique")
        ]

    def __str__(self):
        return (
            f"{self.user.get_full_name() or self.user.username} ({self.get_relationship_display()})"
        )

    @property
    def centre(self):
        return self.resident.centre


class CalendarFeed(models.Model):
    """A person's calendar subscription: a random token, of which only the sha256 is
    stored (like invitations), so the link is shown once, when it is made; making a new
    one kills the old link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_calendar"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    reset_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"calendar of {self.user}"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    def reset(self):
        """A new token (its hash stored); returns the plain token, kept nowhere."""
        token = new_token()
        self.token_hash = self.hash(token)
        if self.pk:
            self.reset_at = timezone.now()
            self.save(update_fields=["token_hash", "reset_at"])
        else:
            self.save()
        return token


class FamilyGroup(models.Model):
    class Audience(models.TextChoices):
        ALL = "all", _("All family members")
        PARENTS = "parents", _("Parents")
        SPOUSES = "spouses", _("Spouses")
        SIBLINGS = "siblings", _("Brothers and sisters")
        CHILDREN = "children", _("Children")

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="family_groups", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=150)
    audience = models.CharField(
        _("for"), max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    weekday = models.IntegerField(
        _("meets every"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("Leave empty if meetings are added by hand only."),
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("length (minutes)"), default=90)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.CharField(
        _("online link"), max_length=500, blank=True, validators=[validate_web_link]
    )
    residents = models.ManyToManyField(
        Resident,
        blank=True,
        related_name="family_groups",
        verbose_name=_("families invited (by resident)"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("family group")
        verbose_name_plural = _("family groups")

    def __str__(self):
        return self.name

    def clean(self):
        if (self.weekday is None) != (self.start_time is None):
            raise ValidationError(
                _("For a regular schedule give both the day and the start time, or neither.")
            )


LINK_OPENS_BEFORE = dt.timedelta(minutes=30)


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def with_answers(self):
        """Each meeting with how many family members said they will come, or cannot
        (counted in the same query)."""
        return self.annotate(
            coming=models.Count("answers", filter=models.Q(answers__answer="coming")),
            not_coming=models.Count("answers", filter=models.Q(answers__answer="not_coming")),
        )


class FamilyMeeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="family_meetings")
    group = models.ForeignKey(
        FamilyGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    # A family session: one resident's family with a counselor (no group).
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="family_sessions",
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.CharField(
        _("online link"), max_length=500, blank=True, validators=[validate_web_link]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    held_note = models.CharField(
        _("facilitator's note"),
        max_length=300,
        blank=True,
        help_text=_("A short note on the meeting itself. No names and nothing about a resident."),
    )
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moved_from = models.DateTimeField(_("moved from"), null=True, blank=True)
    place_changed = models.BooleanField(default=False)
    # The date a generated meeting stands for: keeps the daily task from making it twice.
    scheduled_for = models.DateField(null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("family meeting")
        verbose_name_plural = _("family meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(group__isnull=True, resident__isnull=False)
                | Q(group__isnull=False, resident__isnull=True),
                name="meeting_group_xor_resident",
            ),
            models.UniqueConstraint(
                fields=["group", "scheduled_for"],
                condition=Q(scheduled_for__isnull=False),
                name="meeting_generated_once",
            ),
        ]
        indexes = [models.Index(fields=["centre", "starts_at"])]

    def __str__(self):
        return f"{self.title} · {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def title(self):
        """What a family member and their calendar see: never a resident's name."""
        if self.group_id:
            name = self.group.name
        else:
            name = str(_("Family session"))
        return f"{name}: {self.topic}" if self.topic else name

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_moved(self):
        return self.moved_from is not None or self.place_changed

    @property
    def link_is_open(self):
        """Families see the online link only from LINK_OPENS_BEFORE the start to the end."""
        now = timezone.now()
        return self.starts_at - LINK_OPENS_BEFORE <= now <= self.ends_at

    @property
    def is_held(self):
        return self.status == self.Status.HELD

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()


class MeetingAnswer(models.Model):
    """A family member's answer to one meeting: "we will come" or "we cannot come", and
    whether they want a reminder the day before (and how)."""

    class Answer(models.TextChoices):
        COMING = "coming", _("We will come")
        NOT_COMING = "not_coming", _("We cannot come")

    class Reminder(models.TextChoices):
        NONE = "none", _("No reminder")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    meeting = models.ForeignKey(FamilyMeeting, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(FamilyMember, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    reminder = models.CharField(
        _("reminder the day before"), max_length=5, choices=Reminder.choices, default=Reminder.SMS
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer to a meeting")
        verbose_name_plural = _("answers to meetings")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meeting_answer_once")
        ]

    def __str__(self):
        return f"{self.member} · {self.get_answer_display()}"


class MeetingAttendance(models.Model):
    """Who was present at a held meeting: one row per family member, or per resident."""

    meeting = models.ForeignKey(FamilyMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        FamilyMember, on_delete=models.CASCADE, null=True, blank=True, related_name="attended"
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="family_meetings_attended",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("presence at a family meeting")
        verbose_name_plural = _("presence at family meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True, resident__isnull=False)
                | Q(member__isnull=False, resident__isnull=True),
                name="meeting_attendance_member_xor_resident",
            ),
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="meeting_attendance_member_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "resident"],
                condition=Q(resident__isnull=False),
                name="meeting_attendance_resident_once",
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id} · {self.member_id or self.resident_id}"


class Invitation(models.Model):
    """An invitation link for a family member: single use, expires."""

    LIFETIME = dt.timedelta(days=7)

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("their name"), max_length=150)
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    channel = models.CharField(
        _("send the link by"), max_length=5, choices=Channel.choices, default=Channel.SMS
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} → {self.resident}"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def centre(self):
        return self.resident.centre

    @property
    def is_used(self):
        return self.used_at is not None

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at


class VisitingHours(models.Model):
    """When families may visit residents of a centre: one weekday, from–to. Staff keep it;
    a family member sees the coming visiting days of their resident while consent is in
    force. Never deleted: deactivated instead, so the history stays."""

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="visiting_hours", verbose_name=_("centre")
    )
    weekday = models.IntegerField(_("day"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    note = models.CharField(
        _("note for families"),
        max_length=200,
        blank=True,
        help_text=_("For example: bring an ID card. Shown to families; no health details."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["weekday", "start_time", "pk"]
        verbose_name = _("visiting hours")
        verbose_name_plural = _("visiting hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="visiting_hours_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError(
                {"end_time": _("Visiting must end after it starts. Check the two times.")}
            )
