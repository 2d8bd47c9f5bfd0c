"""Messages not delivered: what the centre admin's page shows, and sending again.

Rows that failed or expired in the last NOTIFY_UNDELIVERED_DAYS, in the admin's centres.
A transport's configuration refused by the gateway (every SMS answered 401, the mail server
refusing Kendra's login or sender) is one line per channel — "SMS gateway refuses Kendra's
credentials: 412 messages not sent since 10:02" — never hundreds of rows. The list says
what (the kind), to whom (role and name), why and when: no message text, nothing of a
resident's health beyond the kind.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kendra import audit
from kendra.models import Membership, Role

from .models import Notification, ReminderProblem
from .outbox import expiry_of, queue_for, queue_send

Status, Reason = Notification.Status, Notification.Reason
UNDELIVERED = [Status.FAILED, Status.EXPIRED]
# Reasons about the transport's configuration, not about one message: shown as one line.
CONFIGURATION = [Reason.CREDENTIALS, Reason.SENDER_REFUSED]

KINDS = {
    "checkin": gettext_lazy("Check-in reminder"),
    "help": gettext_lazy("“I need help now”"),
    "escalation": gettext_lazy("Alert passed on (not acknowledged)"),
    "alert": gettext_lazy("Alert"),
    "mentor_contact_overdue": gettext_lazy("Reminder to a mentor"),
    "pairing_assigned": gettext_lazy("New mentee"),
    "family_meeting_tomorrow": gettext_lazy("Family meeting reminder"),
    "family_invitation": gettext_lazy("Family invitation"),
    "staff_invitation": gettext_lazy("Staff invitation"),
    "followup_digest": gettext_lazy("Follow-ups due this week"),
    "followup_overdue": gettext_lazy("Follow-up overdue"),
    "anniversary": gettext_lazy("Anniversary greeting"),
    "story_news": gettext_lazy("News about a story"),
    "story_withdrawn": gettext_lazy("Story consent withdrawn"),
    "message": gettext_lazy("Message"),
}


def kind_label(kind):
    return KINDS.get(kind, gettext_lazy("Message"))


def undelivered(centre_ids, now=None):
    """The failed or expired rows of these centres, newest first."""
    since = (now or timezone.now()) - dt.timedelta(days=settings.NOTIFY_UNDELIVERED_DAYS)
    return Notification.objects.filter(
        centre_id__in=centre_ids, status__in=UNDELIVERED, created_at__gte=since
    ).exclude(reason=Reason.FELL_BACK)  # its SMS is the row to watch


def count(centre_ids):
    """The number on the centre admin's home: rows, with a configuration line as its rows."""
    return (
        undelivered(centre_ids).count()
        + ReminderProblem.objects.filter(centre_id__in=centre_ids).count()
    )


@dataclass
class ConfigurationLine:
    channel: str
    reason: str
    count: int
    since: dt.datetime

    @property
    def text(self):
        what = {
            ("sms", Reason.CREDENTIALS): _("SMS gateway refuses Kendra's credentials"),
            ("email", Reason.CREDENTIALS): _("The mail server refuses Kendra's login"),
            ("email", Reason.SENDER_REFUSED): _("The mail server refuses Kendra's sender address"),
        }.get((self.channel, self.reason), Reason(self.reason).label)
        since = timezone.localtime(self.since)
        when = f"{since:%H:%M}" if since.date() == timezone.localdate() else f"{since:%d %b %H:%M}"
        return _("%(what)s: %(n)s messages not sent since %(when)s") % {
            "what": what,
            "n": self.count,
            "when": when,
        }


def configuration_lines(rows):
    grouped = (
        rows.filter(status=Status.FAILED, reason__in=CONFIGURATION)
        .values("channel", "reason")
        .annotate(n=Count("pk"), since=Min("created_at"))
        .order_by("channel", "reason")
    )
    return [ConfigurationLine(g["channel"], g["reason"], g["n"], g["since"]) for g in grouped]


def one_by_one(rows):
    """The rows shown one by one: everything but the configuration lines."""
    return (
        rows.exclude(status=Status.FAILED, reason__in=CONFIGURATION)
        .select_related("recipient_user", "recipient_resident")
        .order_by("-created_at", "-pk")
    )


def describe(page_rows):
    """Role and name of each row's recipient (one query for the page's staff roles)."""
    users = {(n.recipient_user_id, n.centre_id) for n in page_rows if n.recipient_user_id}
    roles = {}
    if users:
        for uid, cid, role in Membership.objects.filter(
            user_id__in={u for u, _c in users}, centre_id__in={c for _u, c in users}
        ).values_list("user_id", "centre_id", "role"):
            roles.setdefault((uid, cid), Role(role).label)
    for n in page_rows:
        if n.recipient_resident_id:
            n.role, n.name = _("Resident"), n.recipient_resident.display_name
        elif n.recipient_user_id:
            user = n.recipient_user
            n.role = roles.get((user.pk, n.centre_id), _("Family member"))
            n.name = user.get_full_name() or user.username
        else:
            n.role, n.name = _("Family member"), _("invited, no account yet")
        n.kind_label = kind_label(n.kind)
        n.may_send_again = may_send_again(n)
    return page_rows


def may_send_again(n, now=None):
    return refusal(n, now) is None


class SendAgainRefused(Exception):
    pass


def refusal(n, now=None):
    """Why row `n` may not be sent again, in words; None when it may."""
    now = now or timezone.now()
    if n.status == Status.EXPIRED or now >= expiry_of(n):
        return _(
            "This message expired on %(when)s and is not sent late: what it said may no "
            "longer be true. If the person still needs to hear it, contact them directly."
        ) % {"when": timezone.localtime(expiry_of(n)).strftime("%d %b %Y %H:%M")}
    if n.status != Status.FAILED:
        return _("This message is no longer waiting to be sent again.")
    if n.reason == Reason.VARIABLE_TOO_LONG:
        return _(
            "A value in this message (a long name, for example) is longer than its "
            "registered SMS template allows, so it would fail again. Contact the person "
            "directly."
        )
    return None


def send_again(n, by, now=None):
    """Put a failed, not expired row back in the queue. Raises SendAgainRefused (in words)."""
    refused = refusal(n, now)
    if refused:
        raise SendAgainRefused(refused)
    _requeue([n], by, now or timezone.now())


def send_group_again(centre_ids, channel, reason, by, now=None):
    """Send again every not expired row of a configuration line (after it was fixed)."""
    now = now or timezone.now()
    rows = [
        n
        for n in undelivered(centre_ids, now).filter(
            status=Status.FAILED, channel=channel, reason=reason
        )
        if now < expiry_of(n)
    ]
    _requeue(rows, by, now)
    return len(rows)


def _requeue(rows, by, now):
    pks = [n.pk for n in rows]
    if not pks:
        return
    with transaction.atomic():
        Notification.objects.filter(pk__in=pks, status=Status.FAILED).update(
            status=Status.QUEUED, reason="", queued_at=now, next_attempt_at=None
        )
        for n in rows:
            audit.record(by, "notification.sent_again", n, detail=n.kind)
        for kind in {n.kind for n in rows}:
            same = [n.pk for n in rows if n.kind == kind]
            transaction.on_commit(lambda same=same, kind=kind: queue_send(same, queue_for(kind)))
