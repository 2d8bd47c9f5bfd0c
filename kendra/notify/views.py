from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kendra import cache

from .models import Channel, Notification


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
