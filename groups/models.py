"""Peer groups, their sessions, attendance and clinical notes.

Nothing here is hard-deleted: groups are archived, sessions cancelled, members leave
on a date, and signed notes are corrected by dated addenda.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kendra.models import Centre, Resident

THERAPY_CAPACITY = (5, 10)  # so every voice is heard
YOUTH_MAX_AGE = 25  # the default of the centre setting (Centre.youth_age_limit)


def validate_web_link(value):
    """An online link people open with one tap: a web address, never another scheme."""
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValidationError(
            _("The online link must start with https:// or http:// (for example a Zoom link)."),
            code="link",
        )


class Kind(models.TextChoices):
    CIRCLE = "circle", _("Sharing circle")
    THERAPY = "therapy", _("Group therapy")
    ACTIVITY = "activity", _("Activity session")


class Format(models.TextChoices):
    PSYCHOEDUCATIONAL = "psychoeducational", _("Psychoeducational")
    SKILLS = "skills", _("Skills development")
    CBT = "cbt", _("Cognitive-behavioural (CBT)")
    SUPPORT = "support", _("Support group")
    YOGA = "yoga", _("Yoga")
    SPORTS = "sports", _("Sports")
    MEDITATION = "meditation", _("Meditation")
    ART = "art", _("Art therapy")
    CULTURAL = "cultural", _("Cultural event")


FORMATS_BY_KIND = {
    Kind.CIRCLE: set(),
    Kind.THERAPY: {Format.PSYCHOEDUCATIONAL, Format.SKILLS, Format.CBT, Format.SUPPORT},
    Kind.ACTIVITY: {Format.YOGA, Format.SPORTS, Format.MEDITATION, Format.ART, Format.CULTURAL},
}


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    MEN = "men", _("Men")
    WOMEN = "women", _("Women")
    YOUTH = "youth", _("Youth (up to 25)")


class Frequency(models.TextChoices):
    NONE = "none", _("No fixed schedule")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("On chosen weekdays")


class PeerGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)


class PeerGroup(models.Model):
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="peer_groups", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=10)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilitated_groups",
        verbose_name=_("facilitator (counselor)"),
    )
    co_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_led_groups",
        verbose_name=_("co-leading peer leader"),
    )
    frequency = models.CharField(
        _("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    starts_on = models.DateField(_("first day"), null=True, blank=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    meeting_link = models.URLField(
        _("online meeting link"), blank=True, validators=[validate_web_link]
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PeerGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")
        indexes = [models.Index(fields=["centre", "is_archived", "kind"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:detail", args=[self.pk])

    @property
    def notes_allowed(self):
        """Sharing circles keep no content notes unless the centre turns them on."""
        return self.kind != Kind.CIRCLE or self.centre.circle_notes_enabled

    def meets_on(self, day):
        if (self.starts_on and day < self.starts_on) or (self.ends_on and day > self.ends_on):
            return False
        if self.frequency == Frequency.DAILY:
            return True
        if self.frequency == Frequency.WEEKLY:
            return day.weekday() in self.weekdays
        return False

    def audience_problem(self, resident, on=None):
        """Why this resident does not fit the group's audience, in plain words, or None."""
        for audience, gender in ((Audience.MEN, "male"), (Audience.WOMEN, "female")):
            if self.audience != audience or resident.gender == gender:
                continue
            if resident.gender == "other" and resident.joins_groups_for == gender:
                continue  # their own choice, recorded by the counselor (kept in history)
            if resident.gender == "other":
                return _(
                    "%(name)s cannot join yet: record on their page whether they choose "
                    "the men's or the women's groups."
                ) % {"name": resident}
            if gender == "male":
                return _("%(name)s cannot join: this group is for men.") % {"name": resident}
            return _("%(name)s cannot join: this group is for women.") % {"name": resident}
        if self.audience == Audience.YOUTH:
            limit = self.centre.youth_age_limit if self.centre_id else YOUTH_MAX_AGE
            age = resident.age(on)
            if age is None:
                return _(
                    "%(name)s cannot join a youth group without a date of birth: add a date "
                    "of birth first."
                ) % {"name": resident}
            if age > limit:
                return _("%(name)s cannot join: this group is for youth up to %(age)s.") % {
                    "name": resident,
                    "age": limit,
                }
        return None

    def schedule_display(self):
        if self.frequency == Frequency.NONE or not self.start_time:
            return _("No fixed schedule")
        when = _("Every day")
        if self.frequency == Frequency.WEEKLY:
            labels = dict(WEEKDAY_SHORT)
            when = ", ".join(str(labels[d]) for d in sorted(self.weekdays))
        return f"{when} · {self.start_time:%H:%M} · {self.duration_minutes} min"


WEEKDAY_SHORT = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class GroupMember(models.Model):
    """A resident on a group's roster from `joined_on` until `left_on` (history is kept)."""

    group = models.ForeignKey(PeerGroup, on_delete=models.PROTECT, related_name="members")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="group_memberships"
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["resident__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "resident"],
                condition=Q(left_on__isnull=True),
                name="groupmember_one_active_per_resident",
            )
        ]

    def __str__(self):
        return f"{self.resident} · {self.group}"


def members_on(group, day):
    """The group's members on `day`; `group` may be its primary key."""
    return GroupMember.objects.filter(group=group, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day)
    )


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(PeerGroup, on_delete=models.PROTECT, related_name="sessions")
    # Copied from the group so access checks and centre-wide lists need no join.
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitator"),
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    group_note = models.TextField(_("group note"), blank=True)
    generated = models.BooleanField(default=False, editable=False)
    # Where a moved session stood before (a schedule edit or a one-off move), so the
    # schedule is never planned again on the slot it left.
    moved_from = models.DateTimeField(_("moved from"), null=True, blank=True)
    move_reason = models.CharField(_("reason for moving"), max_length=300, blank=True)
    # A peer leader who leads this one session in place of the group's leaders.
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stood_in_sessions",
        verbose_name=_("stand-in peer leader"),
    )
    meeting_link = models.URLField(
        _("online meeting link"), blank=True, validators=[validate_web_link]
    )
    cosigned_at = models.DateTimeField(_("co-signed at"), null=True, blank=True)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("co-signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    logged_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # One more each time its attendance is written (always under the session's lock), so
    # a save that compared the roster before taking the lock knows whether to look again.
    marks_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["marks_version"])

    class Meta:
        ordering = ["start"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            # Generating the schedule twice must never duplicate a session.
            models.UniqueConstraint(fields=["group", "start"], name="session_unique_group_start"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="session_ends"),
        ]
        indexes = [
            models.Index(fields=["centre", "start"]),
            models.Index(fields=["facilitator", "start"]),
        ]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.group} · {local:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self.centre_id:
            self.centre_id = self.group.centre_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("groups:session", args=[self.pk])

    @property
    def is_signed(self):
        return self.signed_at is not None

    @property
    def online_link(self):
        """This session's own link, else its group's (staff see it at any time)."""
        return self.meeting_link or self.group.meeting_link

    @property
    def local_date(self):
        return timezone.localtime(self.start).date()

    def has_started(self, now=None):
        return self.start <= (now or timezone.now())


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )
    participation = models.PositiveSmallIntegerField(
        _("participation (1–5)"), null=True, blank=True
    )
    mood = models.PositiveSmallIntegerField(_("mood (1–5)"), null=True, blank=True)
    note = models.TextField(_("individual note"), blank=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    stay = models.ForeignKey(
        "kendra.Stay",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("stay"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["resident__full_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "resident"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(mood__isnull=True) | Q(mood__gte=1, mood__lte=5), name="mood_1_5"
            ),
            models.CheckConstraint(
                condition=Q(participation__isnull=True)
                | Q(participation__gte=1, participation__lte=5),
                name="participation_1_5",
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_status_display()}"

    @property
    def came(self):
        return self.status in ATTENDED

    def stay_key(self):
        return self.resident_id, self.session.start


ATTENDED = {Attendance.Status.PRESENT, Attendance.Status.LATE}


class Addendum(models.Model):
    """A dated correction to a signed session's notes, by a named member of staff."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="addenda")
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about (leave empty for the group note)"),
    )
    text = models.TextField(_("addendum"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self):
        return f"{self.session} · {self.written_at:%d/%m/%Y}"


def local_day_bounds(day):
    """Aware datetimes for the start of `day` and of the next day, in the current time zone."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()), tz)
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), tz)
    return start, end
