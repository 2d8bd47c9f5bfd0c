"""Writing to the outbox, claiming rows, and recording outcomes.

Flow (docs/ARCHITECTURE.md, "From a plan to a sent message"): enqueue() writes one row per message with a unique
dedupe key and, after the transaction commits, queues a send task. The send task claims
its row with a conditional UPDATE, so a re-queued twin finds nothing to do. sweep() —
called by every beat tick — re-queues rows whose task was lost (broker down, worker
killed), so nothing relies on the broker redelivering.

Urgent lane: messages of URGENT_KINDS (a help press, an escalation) go on their own Celery
queue (settings.NOTIFY_URGENT_QUEUE), which a worker process of its own consumes (README,
"The urgent lane"), so a reminder fan-out queued before them never delays them.

Expiry and retries: every row has `expires_at` (from the caller, or the kind's default).
A transient failure is retried with backoff and jitter until then; past it the row is
`expired` and never sent late. What may be sent is decided at send time (screen.py).
"""

import datetime as dt
import logging
import random

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kendra import cache as unread_cache

from . import templates
from .models import Channel, Notification
from .transports import whatsapp_offered

log = logging.getLogger(__name__)

URGENT_KINDS = frozenset({"help", "escalation"})
# How long a message may still be sent after it was written, when its caller gives no
# expiry: help and escalation 2 hours; a check-in reminder is given the end of its answer
# window and a meeting reminder the meeting's start by their sources.
EXPIRY_BY_KIND = {"help": dt.timedelta(hours=2), "escalation": dt.timedelta(hours=2)}
DEFAULT_EXPIRY = dt.timedelta(hours=24)
# A worker that dies while sending the same row this many times marks it failed (`lost`).
MAX_LOST = 5
# A row still `sending` after the task's hard time limit belongs to a dead worker.
STALE_SENDING = dt.timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 120) + 30)
# A row `queued` for this long has lost its task (or the broker was down).
STALE_QUEUED = dt.timedelta(minutes=2)


class RecipientError(ValueError):
    """The recipient cannot be reached on that channel (no phone, no email)."""


def backoff(attempt):
    """Seconds to wait before retry number `attempt` (1-based): the base doubling each
    time (30 s, 1 m, 2 m …, settings) up to the cap, with jitter (half to all of it), so
    a gateway coming back is not met by every message at the same second."""
    base = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** min(attempt - 1, 30)
    return min(base, settings.NOTIFY_RETRY_MAX_SECONDS) * random.uniform(0.5, 1.0)  # noqa: S311


def default_expiry(kind, now=None):
    return (now or timezone.now()) + EXPIRY_BY_KIND.get(kind, DEFAULT_EXPIRY)


def expiry_of(n):
    """When row `n` may no longer be sent (rows written without one: the default)."""
    return n.expires_at or (n.created_at or timezone.now()) + DEFAULT_EXPIRY


def queue_for(kind):
    return settings.NOTIFY_URGENT_QUEUE if kind in URGENT_KINDS else None


def _language(user, resident):
    if resident is not None:
        return resident.preferred_language or settings.LANGUAGE_CODE
    profile = getattr(user, "profile", None)
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


def address_for(channel, user=None, resident=None):
    if channel == Channel.IN_APP:
        if user is None:
            raise RecipientError("in-app messages need a user account")
        return ""
    person = resident if resident is not None else user
    if channel == Channel.EMAIL:
        address = getattr(person, "email", "")
    else:
        address = getattr(person, "phone", "") or getattr(
            getattr(person, "profile", None), "phone", ""
        )
    if not address:
        raise RecipientError(
            f"no {'email address' if channel == 'email' else 'phone'} for {person}"
        )
    return address


def preferred(channel, kind, user=None, resident=None):
    """The person's own channel (WhatsApp, SMS, email on their record) instead of the one
    Kendra chose, when they can be reached on it; in-app stays in-app, and an urgent
    message never goes from the phone to email."""
    person = resident if resident is not None else getattr(user, "profile", None)
    choice = getattr(person, "message_channel", "") or ""
    if channel == Channel.IN_APP or not choice or choice == channel:
        return channel
    if (choice == Channel.EMAIL and kind in URGENT_KINDS) or (
        choice == Channel.WHATSAPP and not whatsapp_offered()
    ):
        return channel
    try:
        address_for(choice, user, resident)
    except RecipientError:
        return channel
    return choice


def render(kind, context, language):
    with translation.override(language):
        subject = " ".join(render_to_string(f"notify/{kind}-subject.txt", context).split())
        body = render_to_string(f"notify/{kind}-body.txt", context).strip()
        try:
            html = render_to_string(f"notify/{kind}-body.html", context)
        except TemplateDoesNotExist:
            html = ""
    return subject[:200], body, html


def dedupe_key(kind, slot, channel, user=None, resident=None):
    who = f"u{user.pk}" if user is not None else f"r{resident.pk}"
    return f"{who}:{channel}:{kind}:{slot}"[:255]


def enqueue(
    kind,
    *,
    slot,
    user=None,
    resident=None,
    context=None,
    channel=None,
    centre=None,
    link="",
    expires_at=None,
):
    """Write one message to the outbox unless that (recipient, channel, kind, slot) exists.

    `expires_at`: never send it after that moment (default: the kind's, EXPIRY_BY_KIND).

    Returns the new Notification, or None when it was already written. Raises
    RecipientError when the recipient has no address for the channel.
    """
    if (user is None) == (resident is None):
        raise ValueError("give exactly one of user or resident")
    channel = channel or (Channel.IN_APP if user is not None else Channel.SMS)
    channel = preferred(channel, kind, user, resident)
    key = dedupe_key(kind, slot, channel, user, resident)
    if Notification.objects.filter(dedupe_key=key).exists():
        return None
    address = address_for(channel, user, resident)
    language = _language(user, resident)
    ctx = {"user": user, "resident": resident, **(context or {})}
    subject, body, html = render(kind, ctx, language)
    registered = templates.row_fields(kind, channel, ctx, language, body)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient_user=user,
                recipient_resident=resident,
                centre=centre or getattr(resident, "centre", None),
                channel=channel,
                address=address,
                kind=kind,
                slot=str(slot),
                dedupe_key=key,
                language=language,
                subject=subject,
                body_html=html,
                link=link,
                queued_at=timezone.now(),
                expires_at=expires_at or default_expiry(kind),
                **registered,
            )
    except IntegrityError:
        return None  # another process wrote the same slot first
    if channel == Channel.IN_APP and user is not None:
        unread_cache.forget_unread(user.pk)
    if notification.status != Notification.Status.QUEUED:
        log.warning("notification %s not sent: %s", notification.pk, notification.last_error)
        return notification  # written failed (a value too long for its template)
    transaction.on_commit(lambda: queue_send([notification.pk], queue=queue_for(kind)))
    return notification


def enqueue_many(messages, *, kind):
    """Write many messages of one kind at once (the reminder fan-out).

    `messages` are dicts with slot, user or resident, and optional context, channel,
    centre, link, expires_at. One query finds what exists, one INSERT … ON CONFLICT DO
    NOTHING writes the rest, and their sends are queued after commit. Recipients without
    an address for the channel are skipped and returned; a message whose address or text
    raises is skipped too, with the exception in its "error" key, so one bad recipient
    never blocks the batch. Returns (number written, [skipped messages]).
    """
    rows, skipped = [], []
    now = timezone.now()
    for m in messages:
        user, resident = m.get("user"), m.get("resident")
        channel = m.get("channel") or (Channel.IN_APP if user is not None else Channel.SMS)
        channel = preferred(channel, kind, user, resident)
        try:
            address = address_for(channel, user, resident)
        except RecipientError:
            skipped.append(m)
            continue
        except Exception as exc:  # noqa: BLE001 - one bad recipient never blocks the rest
            skipped.append({**m, "error": exc})
            continue
        key = dedupe_key(kind, m["slot"], channel, user, resident)
        rows.append((key, m, channel, address))
    if not rows:
        return 0, skipped
    existing = set(
        Notification.objects.filter(dedupe_key__in=[r[0] for r in rows]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = []
    for key, m, channel, address in rows:
        if key in existing:
            continue
        existing.add(key)
        user, resident = m.get("user"), m.get("resident")
        language = _language(user, resident)
        ctx = {"user": user, "resident": resident, **(m.get("context") or {})}
        try:
            subject, body, html = render(kind, ctx, language)
            registered = templates.row_fields(kind, channel, ctx, language, body)
        except Exception as exc:  # noqa: BLE001 - one bad recipient never blocks the rest
            skipped.append({**m, "error": exc})
            continue
        new.append(
            Notification(
                recipient_user=user,
                recipient_resident=resident,
                centre=m.get("centre") or getattr(resident, "centre", None),
                channel=channel,
                address=address,
                kind=kind,
                slot=str(m["slot"]),
                dedupe_key=key,
                language=language,
                subject=subject,
                body_html=html,
                link=m.get("link", ""),
                queued_at=now,
                expires_at=m.get("expires_at") or default_expiry(kind, now),
                **registered,
            )
        )
    if not new:
        return 0, skipped
    Notification.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    unread_cache.forget_unread(
        *{n.recipient_user_id for n in new if n.channel == Channel.IN_APP and n.recipient_user_id}
    )
    keys = [n.dedupe_key for n in new]
    pks = list(
        Notification.objects.filter(
            dedupe_key__in=keys, status=Notification.Status.QUEUED, queued_at=now
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: queue_send(pks, queue=queue_for(kind)))
    return len(pks), skipped


SEND_BATCH = 100  # rows per send task: one broker message and one claim per hundred

# The send task (tasks.send_notifications), handed over by NotifyConfig.ready(): the task
# module uses this one, so this one does not import it.
_send_task = None


def use_send_task(task):
    global _send_task  # set once, when the app registry is ready
    _send_task = task


def queue_send(pks, queue=None):
    """Hand rows to the broker, a hundred per task, on `queue` (None: the default one; the
    urgent lane for URGENT_KINDS, see queue_for). If the broker is down the rows stay
    queued for sweep(). Returns the pks handed over."""
    send_notifications = _send_task
    pks = list(pks)
    queued = []
    try:
        # One broker connection for the whole batch: the fan-out queues thousands at once.
        with send_notifications.app.producer_or_acquire() as producer:
            for i in range(0, len(pks), SEND_BATCH):
                chunk = pks[i : i + SEND_BATCH]
                send_notifications.apply_async(
                    (chunk,), retry=False, producer=producer, queue=queue
                )
                queued += chunk
    except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep retries
        log.warning(
            "broker unavailable, %d notification(s) wait in the outbox: %s",
            len(pks) - len(queued),
            exc,
        )
    return queued


def claim_many(pks):
    """Take for sending every row of `pks` still queued, each by the same conditional
    UPDATE as claim() (one statement for all): rows a twin task already took are skipped.
    Returns the claimed Notifications.

    Raw SQL on purpose, and the one place the outbox writes so: UPDATE … RETURNING claims
    a hundred rows and says which in one round trip, which the ORM cannot (an update()
    returns a count). Notification has no history to skip."""
    if not pks:
        return []
    if connection.vendor != "postgresql":  # SQLite under make run: one claim per row
        return [n for n in map(claim, sorted(pks)) if n is not None]
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sending_started_at = %s"  # noqa: S608 - table name from the model
            " WHERE id = ANY(%s) AND status = %s RETURNING id",
            [Notification.Status.SENDING, timezone.now(), list(pks), Notification.Status.QUEUED],
        )
        taken = [row[0] for row in cursor.fetchall()]
    return list(Notification.objects.filter(pk__in=taken).order_by("pk"))


def claim(pk):
    """Take row `pk` for sending; None if another task has it or it is done."""
    taken = Notification.objects.filter(pk=pk, status=Notification.Status.QUEUED).update(
        status=Notification.Status.SENDING, sending_started_at=timezone.now()
    )
    return Notification.objects.get(pk=pk) if taken else None


def count_attempts(rows):
    """Just before the transport is called: these rows are really tried (one UPDATE)."""
    if rows:
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(attempts=F("attempts") + 1)
        for n in rows:
            n.attempts += 1


def release(pks):
    """Put rows this task claimed and counted but did not get to back in the queue (time
    limit): they were not tried, so their attempt is taken back."""
    Notification.objects.filter(pk__in=pks, status=Notification.Status.SENDING).update(
        status=Notification.Status.QUEUED, queued_at=timezone.now(), attempts=F("attempts") - 1
    )


def mark_sent(n, provider_message_id=""):
    # The message is out: recording it need not wait for the disk flush (3 ms a row here).
    # If PostgreSQL itself crashed within the flush delay the row would read `sending`, and
    # the sweep would send it again: the same window as a worker dying between the send
    # and this line, which acks_late and the sweep already accept.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        Notification.objects.filter(pk=n.pk, status=Notification.Status.SENDING).update(
            status=Notification.Status.SENT,
            sent_at=timezone.now(),
            provider_message_id=provider_message_id or "",
            last_error="",
            reason="",
            next_attempt_at=None,
        )


def _finish(n, status, reason, error):
    Notification.objects.filter(pk=n.pk).update(
        status=status, reason=reason, last_error=str(error)[:2000], next_attempt_at=None
    )


def mark_failed(n, error, reason=Notification.Reason.REFUSED):
    _finish(n, Notification.Status.FAILED, reason, error)


def mark_expired(n, error=""):
    _finish(n, Notification.Status.EXPIRED, Notification.Reason.EXPIRED, error)


def mark_cancelled(n, reason, detail=""):
    _finish(n, Notification.Status.CANCELLED, reason, detail)


def mark_retry(n, error, delay):
    """Put the row back to queued, to be tried again after `delay` seconds; expired
    instead when that is past its expiry. Returns False when expired."""
    now = timezone.now()
    at = now + dt.timedelta(seconds=delay)
    if at >= expiry_of(n):
        mark_expired(n, f"not delivered before it expired; last error: {error}")
        return False
    Notification.objects.filter(pk=n.pk).update(
        status=Notification.Status.QUEUED,
        last_error=str(error)[:2000],
        queued_at=now,
        next_attempt_at=at,
    )
    return True


def hold(n, until, why):
    """Not now (quiet hours): back to queued until `until`, for the sweep to send; expired
    instead when that is past its expiry. No attempt is counted."""
    if until >= expiry_of(n):
        mark_expired(n, f"{why} until after it expired")
        return False
    Notification.objects.filter(pk=n.pk).update(
        status=Notification.Status.QUEUED, queued_at=timezone.now(), next_attempt_at=until
    )
    return True


def _past_expiry(now):
    return Q(expires_at__lte=now) | Q(expires_at__isnull=True, created_at__lte=now - DEFAULT_EXPIRY)


def sweep(now=None, limit=5000):
    """Expire what is past its expiry, re-queue rows whose send task was lost. Returns how
    many were handed to the broker."""
    now = now or timezone.now()
    Notification.objects.filter(_past_expiry(now), status=Notification.Status.QUEUED).update(
        status=Notification.Status.EXPIRED,
        reason=Notification.Reason.EXPIRED,
        next_attempt_at=None,
    )
    stuck = Notification.objects.filter(
        status=Notification.Status.SENDING, sending_started_at__lt=now - STALE_SENDING
    )
    revived = []
    for n in stuck:
        if n.attempts >= MAX_LOST:
            mark_failed(n, n.last_error or "worker lost the message too many times", "lost")
        else:
            revived.append(n.pk)
    Notification.objects.filter(pk__in=revived, status=Notification.Status.SENDING).update(
        status=Notification.Status.QUEUED
    )
    waiting = list(
        Notification.objects.filter(
            Q(pk__in=revived) | Q(queued_at__lt=now - STALE_QUEUED),
            status=Notification.Status.QUEUED,
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", "kind")[:limit]
    )
    if not waiting:
        return 0
    queued = []
    for urgent in (True, False):  # the urgent lane first
        pks = [pk for pk, kind in waiting if (kind in URGENT_KINDS) == urgent]
        if pks:
            queued += queue_send(pks, queue=settings.NOTIFY_URGENT_QUEUE if urgent else None)
    Notification.objects.filter(pk__in=queued).update(queued_at=now)
    return len(queued)


def unread_count(user):
    return unread_cache.unread_count(
        user,
        lambda: Notification.objects.filter(
            recipient_user=user, channel=Channel.IN_APP, read_at__isnull=True
        ).count(),
    )
