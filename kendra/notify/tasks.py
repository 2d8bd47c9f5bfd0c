import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import outbox, sources
from .transports import PermanentError, transport_for

log = logging.getLogger(__name__)


def _deliver(n):
    """Send one claimed row and record the outcome: "sent", "failed" or "retry"."""
    try:
        transport_for(n.channel).send(n)
    except SoftTimeLimitExceeded:
        raise
    except PermanentError as exc:
        log.warning("notification %s failed for good: %s", n.pk, exc)
        outbox.mark_failed(n, exc)
        return "failed"
    except Exception as exc:  # noqa: BLE001 - anything else may mend on retry
        if n.attempts >= outbox.MAX_ATTEMPTS:
            outbox.mark_failed(n, f"gave up after {n.attempts} attempts: {exc}")
            return "failed"
        delay = outbox.backoff(n.attempts)
        outbox.mark_retry(n, exc, delay)
        try:
            send_notification.apply_async((n.pk,), countdown=delay, retry=False)
        except Exception:  # noqa: BLE001 - broker down: the sweep re-queues it
            log.warning("could not schedule retry of %s; the sweep will", n.pk)
        return "retry"
    outbox.mark_sent(n)
    return "sent"


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def send_notification(pk):
    """Send one outbox row. Claims it first, so a duplicate task returns at once."""
    n = outbox.claim(pk)
    if n is None:
        return "not claimed"
    return _deliver(n)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def send_notifications(pks):
    """Send a batch of outbox rows (the fan-out queues a hundred per task).

    Every row is claimed by the conditional UPDATE, so a re-queued twin of this task, or
    a single-row retry, finds nothing to do; each row is marked sent right after its own
    delivery, as send_notification does. Returns {outcome: count}.
    """
    rows = outbox.claim_many(pks)
    outcomes = {"not claimed": len(pks) - len(rows)}
    for i, n in enumerate(rows):
        try:
            outcome = _deliver(n)
        except SoftTimeLimitExceeded:
            # Out of time: what was not tried goes back to the queue for the sweep.
            outbox.release([r.pk for r in rows[i:]])
            log.warning("send batch out of time; %d row(s) back in the queue", len(rows) - i)
            break
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task(acks_late=True, soft_time_limit=50, time_limit=55, ignore_result=True)
def tick():
    """Beat's once-a-minute tick: every reminder source writes what is due, then the sweep."""
    from django.utils import timezone

    now = timezone.now()
    for source in sources.all_sources():
        try:
            source(now)
        except Exception:
            log.exception("reminder source %s failed", source)
    return outbox.sweep(now)
