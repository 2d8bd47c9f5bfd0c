from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kendra import access, cache

from . import undelivered
from .models import Channel, Notification, ReminderProblem


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
