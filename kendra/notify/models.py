"""The outbox: one row per message, written before anything is sent.

A row moves queued → sending → sent; or → failed (a permanent refusal), expired (not
delivered before its own expiry: it is never sent late) or cancelled (at send time the
person may no longer get it: discharged, consent withdrawn, plan paused, account or
membership ended), each with its reason. The dedupe key (recipient, channel, kind, slot)
is unique, so a reminder is written once per slot however many ticks or workers try.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    IN_APP = "in_app", _("In Kendra")


class Notification(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    class Reason(models.TextChoices):
        """Why a message was not sent. The first two are the transport's configuration:
        the not-delivered page shows them as one line per channel, not one row a message."""

        CREDENTIALS = "credentials", _("The gateway refuses Kendra's credentials")
        SENDER_REFUSED = "sender_refused", _("The mail server refuses Kendra's sender address")
        REFUSED = "refused", _("The address or number was refused")
        GATEWAY_REFUSED = "gateway_refused", _("The gateway refused the message")
        EXPIRED = "expired", _("Could not be delivered before it expired")
        LOST = "lost", _("The worker stopped while sending it, too many times")
        DISCHARGED = "discharged", _("The resident was discharged")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent to check-in messages was withdrawn")
        PLAN_PAUSED = "plan_paused", _("The reminder plan is paused")
        ACCOUNT_INACTIVE = "account_inactive", _("The account is no longer active")
        MEMBERSHIP_ENDED = "membership_ended", _("The person no longer works at the centre")
        NO_TEMPLATE = "no_template", _("No registered template for this message")
        VARIABLE_TOO_LONG = (
            "variable_too_long",
            _("A value in the message is longer than the registered template allows"),
        )
        FELL_BACK = "fell_back", _("WhatsApp could not deliver it: sent by SMS instead")

    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recipient_resident = models.ForeignKey(
        "kendra.Resident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    centre = models.ForeignKey("kendra.Centre", on_delete=models.SET_NULL, null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    kind = models.CharField(_("kind"), max_length=50)
    slot = models.CharField(_("slot"), max_length=100)
    dedupe_key = models.CharField(max_length=255, unique=True)
    language = models.CharField(max_length=5, default="en")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    body_html = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # Real tries only: a row expired, cancelled or held at send time is not counted.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices, blank=True)
    # Never sent after this moment (set by enqueue from the caller or the kind's default).
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Registered templates (templates.py): the values put in the template's {#var#} places,
    # in order. SMS and WhatsApp send the template id and these, not free text.
    # (Database defaults too, so rows written by code older than these fields still go in.)
    variables = models.JSONField(default=list, blank=True, db_default=[])
    # The gateway's id for the message (SMS gateway or WhatsApp), matched by its status
    # callbacks, and the last status it reported (sent, delivered, read, failed).
    provider_message_id = models.CharField(max_length=128, blank=True, db_index=True, db_default="")
    provider_status = models.CharField(max_length=20, blank=True, db_default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The SMS written when WhatsApp failed for good (once: the fallback has no fallback).
    fallback_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="fallback"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The tick's sweep for rows whose send task was lost: only unfinished rows.
            models.Index(
                fields=["status", "queued_at"],
                name="notification_unfinished",
                condition=Q(status__in=["queued", "sending"]),
            ),
            models.Index(fields=["recipient_user", "channel", "read_at"]),
            # The "Messages not delivered" page and its count on the centre admin's home.
            models.Index(
                fields=["centre", "created_at"],
                name="notification_undelivered",
                condition=Q(status__in=["failed", "expired"]),
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.address or self.recipient_user} ({self.status})"


class ReminderProblem(models.Model):
    """A reminder that could not be written because processing its plan or recipient
    raised: the rest of the batch was written, and staff see this on the not-delivered
    page. One row per plan (its key), counting repeats, removed once the plan goes through."""

    key = models.CharField(max_length=100, unique=True)
    centre = models.ForeignKey("kendra.Centre", on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(
        "kendra.Resident", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=50)
    error = models.TextField(_("error"))
    first_at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField()
    times = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-last_at"]
        verbose_name = _("reminder problem")
        verbose_name_plural = _("reminder problems")

    def __str__(self):
        return f"{self.key}: {self.error[:80]}"


class ConversationWindow(models.Model):
    """When a number last wrote to Kendra on WhatsApp: for 24 hours after, free text may be
    sent to it; otherwise only registered templates. Only numbers Kendra knows are kept."""

    number = models.CharField(max_length=20, unique=True)  # E.164, "+919812345678"
    last_inbound_at = models.DateTimeField()

    class Meta:
        verbose_name = _("WhatsApp conversation")
        verbose_name_plural = _("WhatsApp conversations")

    def __str__(self):
        return f"{self.number} ({self.last_inbound_at:%Y-%m-%d %H:%M})"
