"""Writing to the outbox, claiming rows, and recording outcomes.

Flow (DESIGN.md, data flow 2–3): enqueue() writes one row per message with a unique
dedupe key and, after the transaction commits, queues a send task. The send task claims
its row with a conditional UPDATE, so a re-queued twin finds nothing to do. sweep() —
called by every beat tick — re-queues rows whose task was lost (broker down, worker
killed), so nothing relies on the broker redelivering.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kendra import cache as panel_cache

from .models import Channel, Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A row still `sending` after the task's hard time limit belongs to a dead worker.
STALE_SENDING = dt.timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 120) + 30)
# A row `queued` for this long has lost its task (or the broker was down).
STALE_QUEUED = dt.timedelta(minutes=2)


class RecipientError(ValueError):
    """The recipient cannot be reached on that channel (no phone, no email)."""


def backoff(attempt):
    """Seconds to wait before retry number `attempt` (1-based): 30s, 1m, 2m, 4m …"""
    return min(30 * 2 ** (attempt - 1), 3600)


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
    kind, *, slot, user=None, resident=None, context=None, channel=None, centre=None, link=""
):
    """Write one message to the outbox unless that (recipient, channel, kind, slot) exists.

    Returns the new Notification, or None when it was already written. Raises
    RecipientError when the recipient has no address for the channel.
    """
    if (user is None) == (resident is None):
        raise ValueError("give exactly one of user or resident")
    channel = channel or (Channel.IN_APP if user is not None else Channel.SMS)
    key = dedupe_key(kind, slot, channel, user, resident)
    if Notification.objects.filter(dedupe_key=key).exists():
        return None
    address = address_for(channel, user, resident)
    language = _language(user, resident)
    ctx = {"user": user, "resident": resident, **(context or {})}
    subject, body, html = render(kind, ctx, language)
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
                body=body,
                body_html=html,
                link=link,
                queued_at=timezone.now(),
            )
    except IntegrityError:
        return None  # another process wrote the same slot first
    if channel == Channel.IN_APP and user is not None:
        panel_cache.forget_unread(user.pk)
    transaction.on_commit(lambda: queue_send([notification.pk]))
    return notification


def enqueue_many(messages, *, kind):
    """Write many messages of one kind at once (the reminder fan-out).

    `messages` are dicts with slot, user or resident, and optional context, channel,
    centre, link. One query finds what exists, one INSERT … ON CONFLICT DO NOTHING writes
    the rest, and their sends are queued after commit. Recipients without an address for
    the channel are skipped and returned. Returns (number written, [skipped messages]).
    """
    rows, skipped = [], []
    now = timezone.now()
    for m in messages:
        user, resident = m.get("user"), m.get("resident")
        channel = m.get("channel") or (Channel.IN_APP if user is not None else Channel.SMS)
        try:
            address = address_for(channel, user, resident)
        except RecipientError:
            skipped.append(m)
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
        subject, body, html = render(kind, ctx, language)
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
                body=body,
                body_html=html,
                link=m.get("link", ""),
                queued_at=now,
            )
        )
    if not new:
        return 0, skipped
    Notification.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    panel_cache.forget_unread(
        *{n.recipient_user_id for n in new if n.channel == Channel.IN_APP and n.recipient_user_id}
    )
    keys = [n.dedupe_key for n in new]
    pks = list(
        Notification.objects.filter(
            dedupe_key__in=keys, status=Notification.Status.QUEUED, queued_at=now
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: queue_send(pks))
    return len(pks), skipped


SEND_BATCH = 100  # rows per send task: one broker message and one claim per hundred


def queue_send(pks):
    """Hand rows to the broker, a hundred per task. If the broker is down the rows stay
    queued for sweep(). Returns the pks handed over."""
    from .tasks import send_notifications

    pks = list(pks)
    queued = []
    try:
        # One broker connection for the whole batch: the fan-out queues thousands at once.
        with send_notifications.app.producer_or_acquire() as producer:
            for i in range(0, len(pks), SEND_BATCH):
                chunk = pks[i : i + SEND_BATCH]
                send_notifications.apply_async((chunk,), retry=False, producer=producer)
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
    Returns the claimed Notifications."""
    if not pks:
        return []
    if connection.vendor != "postgresql":  # SQLite under make run: one claim per row
        return [n for n in map(claim, sorted(pks)) if n is not None]
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sending_started_at = %s,"  # noqa: S608 - table name from the model
            " attempts = attempts + 1 WHERE id = ANY(%s) AND status = %s RETURNING id",
            [Notification.Status.SENDING, timezone.now(), list(pks), Notification.Status.QUEUED],
        )
        taken = [row[0] for row in cursor.fetchall()]
    return list(Notification.objects.filter(pk__in=taken).order_by("pk"))


def release(pks):
    """Put rows this task claimed but did not get to back in the queue (time limit)."""
    Notification.objects.filter(pk__in=pks, status=Notification.Status.SENDING).update(
        status=Notification.Status.QUEUED, queued_at=timezone.now()
    )


def claim(pk):
    """Take row `pk` for sending; None if another task has it or it is done."""
    now = timezone.now()
    taken = Notification.objects.filter(pk=pk, status=Notification.Status.QUEUED).update(
        status=Notification.Status.SENDING,
        sending_started_at=now,
        attempts=F("attempts") + 1,
    )
    return Notification.objects.get(pk=pk) if taken else None


def mark_sent(n):
    # The message is out: recording it need not wait for the disk flush (3 ms a row here).
    # If PostgreSQL itself crashed within the flush delay the row would read `sending`, and
    # the sweep would send it again: the same window as a worker dying between the send
    # and this line, which acks_late and the sweep already accept.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        Notification.objects.filter(pk=n.pk, status=Notification.Status.SENDING).update(
            status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
        )


def mark_failed(n, error):
    Notification.objects.filter(pk=n.pk).update(
        status=Notification.Status.FAILED, last_error=str(error)[:2000]
    )


def mark_retry(n, error, delay):
    """Put the row back to queued, to be retried after `delay` seconds."""
    now = timezone.now()
    Notification.objects.filter(pk=n.pk).update(
        status=Notification.Status.QUEUED,
        last_error=str(error)[:2000],
        queued_at=now,
        next_attempt_at=now + dt.timedelta(seconds=delay),
    )


def sweep(now=None, limit=5000):
    """Re-queue rows whose send task was lost. Returns how many were handed to the broker."""
    now = now or timezone.now()
    stuck = Notification.objects.filter(
        status=Notification.Status.SENDING, sending_started_at__lt=now - STALE_SENDING
    )
    revived = []
    for n in stuck:
        if n.attempts >= MAX_ATTEMPTS:
            mark_failed(n, n.last_error or "worker lost the message too many times")
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
        .values_list("pk", flat=True)[:limit]
    )
    if not waiting:
        return 0
    queued = queue_send(waiting)
    Notification.objects.filter(pk__in=queued).update(queued_at=now)
    return len(queued)


def unread_count(user):
    return panel_cache.unread_count(
        user,
        lambda: Notification.objects.filter(
            recipient_user=user, channel=Channel.IN_APP, read_at__isnull=True
        ).count(),
    )
