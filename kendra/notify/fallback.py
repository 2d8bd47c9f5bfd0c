"""WhatsApp failed for good: the message goes once by SMS instead.

A permanent WhatsApp failure (refused at sending, or a `failed` status webhook later) ends
the WhatsApp row as failed with reason "fell back" and the provider's words, and writes an
SMS row for the same person, kind and slot pointing at it (`fallback_of`). Its dedupe key
is the WhatsApp row's plus ":sms", so however many workers or replayed webhooks try, the
SMS is written once; and an SMS never falls back again.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import templates
from .models import Channel, Notification

log = logging.getLogger(__name__)
Status, Reason = Notification.Status, Notification.Reason


def to_sms(n, error):
    """Fall back from WhatsApp row `n`; returns the SMS row, or None when `n` is not a
    WhatsApp row or its fallback exists already."""
    if n.channel != Channel.WHATSAPP:
        return None
    if Notification.objects.filter(fallback_of=n).exists():
        # Fell back already: the row is only made sure to be finished.
        Notification.objects.filter(pk=n.pk).exclude(status=Status.FAILED).update(
            status=Status.FAILED, reason=Reason.FELL_BACK, next_attempt_at=None
        )
        return None
    Notification.objects.filter(pk=n.pk).update(
        status=Status.FAILED,
        reason=Reason.FELL_BACK,
        last_error=f"WhatsApp: {error}"[:2000],
        next_attempt_at=None,
    )
    fields = {"body": n.body, "variables": list(n.variables or [])}
    if n.kind in templates.REGISTRY and n.variables:
        fields["body"] = templates.text_for(n.kind, n.language, n.variables)
        try:
            templates.check_lengths(n.kind, n.variables)
        except templates.VariableTooLong as exc:
            fields.update(
                status=Status.FAILED, reason=Reason.VARIABLE_TOO_LONG, last_error=str(exc)
            )
    try:
        with transaction.atomic():
            sms = Notification.objects.create(
                recipient_user_id=n.recipient_user_id,
                recipient_resident_id=n.recipient_resident_id,
                centre_id=n.centre_id,
                channel=Channel.SMS,
                address=n.address,
                kind=n.kind,
                slot=n.slot,
                dedupe_key=f"{n.dedupe_key}:sms"[:255],
                language=n.language,
                subject=n.subject,
                link=n.link,
                queued_at=timezone.now(),
                expires_at=n.expires_at,
                fallback_of=n,
                **fields,
            )
    except IntegrityError:
        return None  # written already (a twin worker, a replayed webhook)
    log.info("notification %s: WhatsApp failed for good, SMS %s written", n.pk, sms.pk)
    if sms.status == Status.QUEUED:
        from .outbox import queue_for, queue_send

        transaction.on_commit(lambda: queue_send([sms.pk], queue=queue_for(sms.kind)))
    return sms
