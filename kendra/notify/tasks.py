import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from . import fallback, fill, outbox, screen, sources
from .transports import PermanentError, transport_for

log = logging.getLogger(__name__)


def _deliver(n, links=None):
    """Send one claimed row and record the outcome: "sent", "failed", "retry" or "expired".

    A personal link is put into the text handed to the transport only (fill.py, `links`
    made for the batch); the row keeps its placeholder."""
    try:
        provider_id = transport_for(n.channel).send(fill.filled(n, links or {}))
    except SoftTimeLimitExceeded:
        raise
    except PermanentError as exc:
        log.warning("notification %s failed for good: %s", n.pk, exc)
        if n.channel == "whatsapp":  # once by SMS instead (fallback.py)
            fallback.to_sms(n, exc)
            return "fell back"
        outbox.mark_failed(n, exc, exc.reason)
        return "failed"
    except Exception as exc:  # noqa: BLE001 - anything else may mend on retry
        delay = outbox.backoff(n.attempts)
        if not outbox.mark_retry(n, exc, delay):
            return "expired"
        try:
            send_notification.apply_async(
                (n.pk,), countdown=delay, retry=False, queue=outbox.queue_for(n.kind)
            )
        except Exception:  # noqa: BLE001 - broker down: the sweep re-queues it
            log.warning("could not schedule retry of %s; the sweep will", n.pk)
        return "retry"
    outbox.mark_sent(n, provider_id)
    return "sent"


def _screened(rows):
    """Settle the rows that must not be sent now (screen.py); return the rest, each
    counted as a real attempt."""
    verdicts = screen.verdicts(rows)
    outcomes = {}
    for n in rows:
        verdict = verdicts.get(n.pk)
        if verdict is None:
            continue
        if verdict.action == "cancel":
            outbox.mark_cancelled(n, verdict.reason)
            outcome = "cancelled"
        elif verdict.action == "hold" and outbox.hold(n, verdict.until, "quiet hours"):
            outcome = "held"
        else:
            if verdict.action == "expire":
                outbox.mark_expired(n, n.last_error)
            outcome = "expired"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    to_send = [n for n in rows if n.pk not in verdicts]
    outbox.count_attempts(to_send)
    return to_send, outcomes


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def send_notification(pk):
    """Send one outbox row. Claims it first, so a duplicate task returns at once."""
    n = outbox.claim(pk)
    if n is None:
        return "not claimed"
    to_send, outcomes = _screened([n])
    return _deliver(n, fill.links_for(to_send)) if to_send else next(iter(outcomes))


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def send_notifications(pks):
    """Send a batch of outbox rows (the fan-out queues a hundred per task).

    Every row is claimed by the conditional UPDATE, so a re-queued twin of this task, or
    a single-row retry, finds nothing to do; what may no longer go is settled (screen.py);
    each row is marked sent right after its own delivery, as send_notification does.
    Returns {outcome: count}.
    """
    claimed = outbox.claim_many(pks)
    rows, outcomes = _screened(claimed)
    outcomes["not claimed"] = len(pks) - len(claimed)
    links = fill.links_for(rows)
    for i, n in enumerate(rows):
        try:
            outcome = _deliver(n, links)
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
    now = timezone.now()
    for source in sources.all_sources():
        try:
            source(now)
        except Exception:
            log.exception("reminder source %s failed", source)
    return outbox.sweep(now)
