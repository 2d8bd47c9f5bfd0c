import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kendra import access, cache

from . import undelivered, webhooks
from .models import Channel, Notification, ReminderProblem

log = logging.getLogger(__name__)


def _mine(user):
    return Notification.objects.filter(recipient_user=user, channel=Channel.IN_APP)


@login_required
def notification_list(request):
    page = Paginator(_mine(request.user).order_by("-created_at"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "notify/notification_list.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request):
    _mine(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    cache.forget_unread(request.user.pk)
    return redirect("notifications")


# --- messages not delivered (centre admins) ------------------------------------------


def _admin_centre_ids(user):
    """The centres where the user is centre admin; 404 for everyone else (no hint)."""
    ids = access.centre_ids_for(user, "centre.admin")
    if not ids:
        raise Http404
    return ids


@login_required
def undelivered_list(request):
    ids = _admin_centre_ids(request.user)
    rows = undelivered.undelivered(ids)
    page = Paginator(undelivered.one_by_one(rows), 25).get_page(request.GET.get("page"))
    undelivered.describe(page.object_list)
    context = {
        "page": page,
        "lines": undelivered.configuration_lines(rows),
        "problems": ReminderProblem.objects.filter(centre_id__in=ids).select_related("resident"),
        "days": settings.NOTIFY_UNDELIVERED_DAYS,
    }
    return render(request, "notify/undelivered_list.html", context)


@login_required
def send_again(request, pk):
    """Confirm, then send one failed message again; refused in words when it expired."""
    ids = _admin_centre_ids(request.user)
    rows = undelivered.undelivered(ids).select_related("recipient_user", "recipient_resident")
    n = undelivered.describe([get_object_or_404(rows, pk=pk)])[0]
    if request.method == "POST":
        try:
            undelivered.send_again(n, request.user)
        except undelivered.SendAgainRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The message is queued to be sent again."))
        return redirect("undelivered")
    context = {"n": n, "refused": undelivered.refusal(n)}
    return render(request, "notify/send_again.html", context)


@login_required
def send_line_again(request, channel, reason):
    """Confirm, then send again every message of a configuration line (once it is fixed)."""
    ids = _admin_centre_ids(request.user)
    rows = undelivered.undelivered(ids).filter(channel=channel, reason=reason)
    line = next(iter(undelivered.configuration_lines(rows)), None)
    if line is None:
        raise Http404
    if request.method == "POST":
        sent = undelivered.send_group_again(ids, channel, reason, request.user)
        messages.success(
            request,
            ngettext(
                "%(n)s message is queued to be sent again.",
                "%(n)s messages are queued to be sent again.",
                sent,
            )
            % {"n": sent},
        )
        return redirect("undelivered")
    return render(request, "notify/send_line_again.html", {"line": line})


# --- WhatsApp webhook (Meta calls it; no session, no CSRF token: the signature is the check)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    """GET: Meta's set-up handshake. POST: statuses and messages, signed (webhooks.py)."""
    if request.method == "GET":
        if not webhooks.handshake_ok(request.GET, settings.WHATSAPP_VERIFY_TOKEN):
            log.warning("WhatsApp webhook handshake refused: wrong mode or verify token")
            return HttpResponseForbidden()
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    header = request.headers.get("X-Hub-Signature-256", "")
    if not webhooks.signature_ok(request.body, header, settings.WHATSAPP_APP_SECRET):
        # Who sent it and that the signature was wrong; never the body.
        log.warning(
            "WhatsApp webhook refused: %s signature, %d bytes",
            "wrong" if header else "no",
            len(request.body),
        )
        return HttpResponseForbidden()
    try:
        payload = json.loads(request.body)
    except ValueError:
        log.warning("WhatsApp webhook refused: signed but not JSON")
        return HttpResponseBadRequest()
    outcomes = webhooks.handle(payload)
    log.info("WhatsApp webhook: %s", outcomes)
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
def sms_status_webhook(request):
    """The SMS gateway's delivery reports, signed like WhatsApp's (webhooks.py)."""
    header = request.headers.get("X-Signature-256", "")
    if not webhooks.signature_ok(request.body, header, settings.SMS_GATEWAY_WEBHOOK_SECRET):
        log.warning("SMS delivery report refused: %s signature", "wrong" if header else "no")
        return HttpResponseForbidden()
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest()
    log.info("SMS delivery report: %s", webhooks.handle_sms(payload))
    return JsonResponse({"ok": True})
