"""The outbox: one row per message, written before anything is sent.

A row moves queued → sending → sent, or → failed with the error. The dedupe key
(recipient, channel, kind, slot) is unique, so a reminder is written once per slot
however many ticks or workers try.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    IN_APP = "in_app", _("In Kendra")


class Notification(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

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
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

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
        ]

    def __str__(self):
        return f"{self.kind} → {self.address or self.recipient_user} ({self.status})"
