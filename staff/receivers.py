"""What follows a sign-in and the end of a membership, for the staff app."""

from importlib import import_module

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kendra.models import Membership
from kendra.notify.models import Channel, Notification

from .models import SignIn

WITHHELD = _("This message is about someone you no longer work with, so it is not shown.")


def remember_sign_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is not None and session.session_key:
        # Rows of sessions that have ended since (expired, cleared) go, so few stay per person.
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        for row in SignIn.objects.filter(user=user):
            if not store.exists(row.session_key):
                row.delete()
        SignIn.objects.create(user=user, session_key=session.session_key)


def forget_sign_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if user is not None and session is not None and session.session_key:
        SignIn.objects.filter(user=user, session_key=session.session_key).delete()


def on_membership_ended(sender, membership, by=None, note="", **kwargs):
    """Someone with no role left in the centre hears nothing more of it and reads nothing
    of it: messages not yet sent to them are stopped, and their in-app messages of that
    centre (alerts, pairings, names) are withheld from their notifications page."""
    still_there = Membership.objects.filter(
        user_id=membership.user_id, centre_id=membership.centre_id, is_active=True
    ).exists()
    if still_there:
        return
    theirs = Notification.objects.filter(
        recipient_user_id=membership.user_id, centre_id=membership.centre_id
    )
    # Notifications keep no history; these bare updates skip nothing.
    theirs.filter(status=Notification.Status.QUEUED).update(
        status=Notification.Status.FAILED, last_error="recipient no longer on the centre's staff"
    )
    theirs.filter(channel=Channel.IN_APP).update(
        subject="", body=str(WITHHELD), body_html="", link=""
    )
