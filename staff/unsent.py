"""Messages Kendra could not send, for the centre admin (the outbox's failures, in words).

Before, centre admins looked them up in Django admin. Only who, how and why are shown:
never the message itself (it may hold a personal check-in link).
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kendra.notify.models import Notification

KINDS = {
    "checkin": _("Check-in reminder"),
    "alert": _("Alert"),
    "escalation": _("Alert passed on"),
    "help": _("Help request"),
    "family_invitation": _("Family invitation"),
    "family_meeting_tomorrow": _("Family meeting reminder"),
    "mentor_contact_overdue": _("Mentor contact overdue"),
    "pairing_assigned": _("New mentee"),
    "staff_invitation": _("Staff invitation"),
    "message": _("Message"),
}
WAITING_TOO_LONG = dt.timedelta(minutes=15)


def unsent(centre, now=None):
    """Failed messages, and messages still waiting after a quarter of an hour, newest first."""
    late = (now or timezone.now()) - WAITING_TOO_LONG
    stuck = Q(status__in=[Notification.Status.QUEUED, Notification.Status.SENDING])
    return (
        Notification.objects.filter(centre=centre)
        .filter(Q(status=Notification.Status.FAILED) | (stuck & Q(created_at__lt=late)))
        .select_related("recipient_user", "recipient_resident")
        .only(
            "created_at",
            "kind",
            "channel",
            "address",
            "status",
            "attempts",
            "last_error",
            "recipient_user__first_name",
            "recipient_user__last_name",
            "recipient_user__username",
            "recipient_resident__full_name",
            "recipient_resident__preferred_name",
        )
        .order_by("-created_at", "-pk")
    )


def kind_label(kind):
    return KINDS.get(kind, kind)


def recipient_name(message):
    if message.recipient_resident_id:
        return message.recipient_resident.display_name
    if message.recipient_user_id:
        user = message.recipient_user
        return user.get_full_name() or user.username
    return message.address
