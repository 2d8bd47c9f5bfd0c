"""Who may see and handle which alert, on the core's rule (kendra/access.py):
counselors and centre admins see their centres' alerts; a mentor only the alerts of
their own mentees."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from kendra.access import centre_ids, scope
from kendra.models import Role

from .models import Alert
from .rules import mentee_ids


def visible_alerts(user):
    """Alerts the user may handle: counselors and centre admins see their centres' alerts;
    a mentor sees only the alerts of their own mentees."""
    wanted = Q(centre_id__in=centre_ids(user, {Role.COUNSELOR, Role.CENTRE_ADMIN}))
    mentor_centres = centre_ids(user, {Role.MENTOR})
    if mentor_centres:
        wanted |= Q(centre_id__in=mentor_centres, resident_id__in=mentee_ids(user))
    return Alert.objects.filter(wanted)


def get_alert(user, pk):
    """404 outside the user's centres; 403 inside for someone who may not handle it."""
    alert = get_object_or_404(scope(Alert.objects.select_related("resident"), user), pk=pk)
    if not visible_alerts(user).filter(pk=pk).exists():
        raise PermissionDenied
    return alert
