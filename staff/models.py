"""Invitations to join a centre's staff, and the sign-ins that deactivation ends."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kendra.models import Centre, Role

STAFF_ROLE_CHOICES = [
    (value, label) for value, label in Role.choices if value != Role.FAMILY_MEMBER
]


class StaffInvitation(models.Model):
    """A link to join a centre's staff in a role: single use, seven days, can be cancelled.

    Only a hash of the token is stored; the plain link exists in the message alone. The
    account it is for is made (inactive, no password) when the invitation is written, so
    the message goes through the outbox like any other; accepting sets the password.
    """

    LIFETIME = dt.timedelta(days=7)

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="staff_invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_invitations"
    )
    role = models.CharField(_("role"), max_length=20, choices=STAFF_ROLE_CHOICES)
    name = models.CharField(_("their name"), max_length=150)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    channel = models.CharField(_("send the link by"), max_length=5, choices=Channel.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="", email=""), name="staff_invitation_has_address"
            )
        ]

    def __str__(self):
        return f"{self.name} → {self.get_role_display()}"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_open(self):
        return self.used_at is None and self.cancelled_at is None and not self.is_expired()

    @property
    def address(self):
        return self.phone if self.channel == self.Channel.SMS else self.email


class SignIn(models.Model):
    """One signed-in session of a person, so that deactivating them can end every one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, db_index=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"
