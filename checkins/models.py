"""Check-ins ("How are you feeling today?") and the early-warning alerts they raise."""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kendra.models import new_token

CHANNELS = [
    ("sms", _("SMS")),
    ("email", _("Email")),
    ("in_app", _("In Kendra")),
    # No message: the resident answers in the morning circle (no phone, or no consent).
    ("circle", _("Circle check-in only (no messages)")),
]
CIRCLE_ONLY = "circle"

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
    # The day the answer is about: a late answer to an older reminder keeps that day.
    for_date = models.DateField(_("for the day"), null=True, blank=True)
    stay = models.ForeignKey(
        "kendra.Stay",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("stay"),
    )

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

    def stay_key(self):
        return self.resident_id, self.for_date or self.at


class Level(models.IntegerChoices):
    """Who is told about an alert, step by step, while nobody acknowledges it."""

    MENTOR = 0, _("the mentor")
    ON_DUTY = 1, _("the counselor on duty")
    COUNSELORS = 2, _("every counselor of the centre")
    ADMINS = 3, _("the centre admins")


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
        LOW_ATTENDANCE = "low_attendance", _("Attendance under half in 14 days")
        HELP_REQUEST = "help_request", _("Asked for help")

    resident = models.ForeignKey("kendra.Resident", on_delete=models.PROTECT, related_name="alerts")
    centre = models.ForeignKey("kendra.Centre", on_delete=models.PROTECT, related_name="alerts")
    stay = models.ForeignKey(
        "kendra.Stay",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("stay"),
    )
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
    # What the reason is made of (name, numbers, ISO day), so it can be worded in the
    # reader's language; `reason` keeps the English words as written at the time.
    details = models.JSONField(default=dict, blank=True)
    # Escalation (escalation.py): the highest step told so far, and when the next step is
    # due unless someone acknowledges first (None: nothing further).
    level = models.PositiveSmallIntegerField(
        _("told so far"), choices=Level.choices, default=Level.MENTOR
    )
    escalate_at = models.DateTimeField(_("goes further at"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            models.Index(fields=["centre", "status", "-raised_at"]),
            # The escalation beat's claim: open alerts whose next step is due.
            models.Index(
                fields=["escalate_at"],
                name="alert_escalation_due",
                condition=Q(status="open", escalate_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.resident}: {self.get_rule_display()}"

    @property
    def reason_text(self):
        """The reason in the language now active (the stored words for older alerts)."""
        wording = REASONS.get(self.rule)
        if not wording or not self.details:
            return self.reason
        values = dict(self.details)
        if "day" in values:
            values["day"] = date_format(dt.date.fromisoformat(values["day"]), "SHORT_DATE_FORMAT")
        if "mood" in values:
            values["mood"] = dict(MOODS).get(values["n"], values["n"])
        try:
            return wording % values
        except (KeyError, TypeError, ValueError):
            return self.reason

    def stay_key(self):
        return self.resident_id, self.raised_at


class AlertEvent(models.Model):
    """One line of an alert's timeline: a press, who was told (when, by which channels,
    at which step), who acknowledged or resolved it. Appended, never changed."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        PRESSED = "pressed", _("Pressed “I need help now”")
        PRESSED_AGAIN = "pressed_again", _("Pressed again")
        TOLD = "told", _("Told")
        ESCALATED = "escalated", _("Not acknowledged in time: sent further")
        NOBODY_REACHED = "nobody_reached", _("Nobody could be reached by phone")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    # The alert's centre, kept on the line too, so scoping and cache invalidation need no join.
    centre = models.ForeignKey("kendra.Centre", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    # The outbox slot of the messages this line is about (a press, an escalation step).
    slot = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("alert timeline entry")
        verbose_name_plural = _("alert timeline entries")
        indexes = [models.Index(fields=["alert", "at"])]

    def __str__(self):
        return f"{self.alert_id} {self.at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Alert timeline entries are append-only.")
        if self.centre_id is None:
            self.centre_id = self.alert.centre_id
        super().save(*args, **kwargs)

    @property
    def line(self):
        """The timeline line in the reader's language, e.g. "Pressed again at 23:14"."""
        labels = dict(CHANNELS)
        values = {
            "time": timezone.localtime(self.at).strftime("%H:%M"),
            "name": (self.user.get_full_name() or self.user.username) if self.user else "",
            "level": Level(self.level).label if self.level is not None else "",
            "channels": ", ".join(str(labels.get(c, c)) for c in self.channels),
        }
        wording = {
            self.Kind.RAISED: gettext("%(time)s: raised"),
            self.Kind.PRESSED: gettext("Pressed “I need help now” at %(time)s"),
            self.Kind.PRESSED_AGAIN: gettext("Pressed again at %(time)s"),
            self.Kind.TOLD: gettext("%(time)s: %(name)s (%(level)s) told by %(channels)s"),
            self.Kind.ESCALATED: gettext(
                "%(time)s: not acknowledged in time, sent on to %(level)s"
            ),
            self.Kind.NOBODY_REACHED: gettext(
                "%(time)s: nobody could be reached by phone, the centre admins are alerted"
            ),
            self.Kind.ACKNOWLEDGED: gettext("%(time)s: acknowledged by %(name)s"),
            self.Kind.RESOLVED: gettext("%(time)s: resolved by %(name)s"),
        }
        return wording.get(self.kind, "%(time)s") % values


# How each rule's reason reads; the values come from Alert.details.
REASONS = {
    Alert.Rule.LOW_MOOD: _("%(name)s said their mood was “%(mood)s” (%(n)s of 5) on %(day)s."),
    Alert.Rule.HIGH_CRAVING: _("%(name)s rated their craving %(n)s of 10 on %(day)s."),
    Alert.Rule.HELP_REQUEST: _("%(name)s pressed “I need help now” at %(time)s on %(day)s."),
    Alert.Rule.MISSED_CHECKINS: _("%(name)s has not answered the last %(n)s check-in reminders."),
    Alert.Rule.LOW_ATTENDANCE: _(
        "%(name)s came to %(came)s of %(counted)s sessions in the last 14 days."
    ),
}


class Cadence(models.TextChoices):
    AUTO = "auto", _("Centre default (daily inside, then weekly and monthly after discharge)")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


class CheckinDefaults(models.Model):
    """A centre's defaults for reminder plans. Residents are asked daily; alumni weekly
    for the first weeks after discharge, then monthly up to a year."""

    centre = models.OneToOneField(
        "kendra.Centre", on_delete=models.CASCADE, related_name="checkin_defaults"
    )
    alumni_weekly_weeks = models.PositiveSmallIntegerField(
        _("weeks of weekly check-ins after discharge"), default=12
    )
    alumni_until_days = models.PositiveSmallIntegerField(
        _("days after discharge to keep asking"), default=365
    )
    local_time = models.TimeField(_("time of the reminder"), default=dt.time(9, 0))
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNELS, default="sms")
    quiet_start = models.TimeField(
        _("quiet hours from"), null=True, blank=True, default=dt.time(22, 0)
    )
    quiet_end = models.TimeField(
        _("quiet hours until"), null=True, blank=True, default=dt.time(7, 0)
    )

    class Meta:
        verbose_name = _("check-in defaults")
        verbose_name_plural = _("check-in defaults")

    def __str__(self):
        return str(self.centre)

    @classmethod
    def for_centre(cls, centre_id):
        return cls.objects.filter(centre_id=centre_id).first() or cls(centre_id=centre_id)


class ReminderPlan(models.Model):
    """When and how one person is asked "How are you feeling today?".

    The beat tick claims plans whose next_due_at has passed, writes one outbox row per
    plan and moves next_due_at on (checkins/reminders.py). The personal check-in links
    are CheckinLink rows: only a hash of each token is stored, a fresh one is made for
    every message at send time, and revoking them stops every older link at once.
    """

    resident = models.OneToOneField(
        "kendra.Resident", on_delete=models.PROTECT, related_name="reminder_plan"
    )
    centre = models.ForeignKey("kendra.Centre", on_delete=models.PROTECT, related_name="+")
    cadence = models.CharField(
        _("how often"), max_length=10, choices=Cadence.choices, default=Cadence.AUTO
    )
    local_time = models.TimeField(_("time of the reminder"), default=dt.time(9, 0))
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNELS, default="sms")
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    paused = models.BooleanField(_("paused"), default=False)
    next_due_at = models.DateTimeField(_("next reminder"), null=True, blank=True)
    last_due_at = models.DateTimeField(null=True, blank=True)
    missed_in_a_row = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder plan")
        verbose_name_plural = _("reminder plans")
        indexes = [
            # The tick's claim: due plans that are not paused, oldest first.
            models.Index(
                fields=["next_due_at"],
                name="reminderplan_due",
                condition=Q(paused=False, next_due_at__isnull=False),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["sms", "email", "in_app", "circle"]),
                name="reminderplan_channel",
            )
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_cadence_display()}"

    def get_absolute_url(self):
        return reverse("checkins:plan", args=[self.resident_id])

    @staticmethod
    def link(token, slot_date=None):
        """The path of the personal check-in page for a plain `token` (never stored)."""
        url = reverse("checkins:answer", args=[token])
        return f"{url}?day={slot_date:%Y-%m-%d}" if slot_date else url

    def new_link(self, now=None):
        """A fresh token for this plan (its hash stored); the plain token is returned only."""
        return CheckinLink.mint([self.pk], now)[0]

    def revoke_links(self, now=None):
        """Every link of this plan stops working. Returns how many were still live."""
        return CheckinLink.objects.filter(plan=self, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )


# How long a link made for a message opens the check-in page: as long as a late answer is
# taken (checkins/views.py LATE_ANSWER_DAYS), unless revoked first.
LINK_DAYS = 62


class CheckinLink(models.Model):
    """One personal check-in link of a plan. Only the sha256 of its token is stored (like
    invitations): the plain link exists in the message that was sent, nowhere else.
    Links made before hashing have no expiry; discharge or "Make a new link" revokes."""

    plan = models.ForeignKey(ReminderPlan, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("check-in link")
        verbose_name_plural = _("check-in links")
        indexes = [models.Index(fields=["plan", "revoked_at"])]

    def __str__(self):
        return f"link of plan {self.plan_id} from {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def mint(cls, plan_ids, now=None):
        """A new link for each plan id, written in one INSERT. Returns the plain tokens,
        in the same order (they are not kept anywhere)."""
        now = now or timezone.now()
        tokens = [new_token() for _ in plan_ids]
        cls.objects.bulk_create(
            [
                cls(
                    plan_id=pk,
                    token_hash=cls.hash(token),
                    created_at=now,
                    expires_at=now + dt.timedelta(days=LINK_DAYS),
                )
                for pk, token in zip(plan_ids, tokens, strict=True)
            ]
        )
        return tokens

    @classmethod
    def forget_old(cls, now=None):
        """Delete the links that stopped working over a week ago. Returns how many."""
        week_ago = (now or timezone.now()) - dt.timedelta(days=7)
        return cls.objects.filter(Q(expires_at__lt=week_ago) | Q(revoked_at__lt=week_ago)).delete()[
            0
        ]

    @classmethod
    def live(cls, token, now=None):
        """The live link for a plain `token`, its plan and resident loaded, or None."""
        now = now or timezone.now()
        return (
            cls.objects.select_related("plan__resident__centre")
            .filter(token_hash=cls.hash(token), revoked_at__isnull=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .first()
        )
