"""Who may keep the on-duty rota, on the core's rule (kendra/access.py): counselors and
centre admins of the centre say who is on duty; nobody else sees it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kendra.access import centre_ids_for, get_for_centre, is_staff_member, scope
from kendra.models import Centre

from .models import DutyShift


def rota_centres(user):
    """Centres whose rota the user may keep, by name; 403 for staff with none, 404 for
    anyone else (family)."""
    ids = centre_ids_for(user, "rota.manage")
    if not ids:
        if not is_staff_member(user):
            raise Http404
        raise PermissionDenied
    return list(Centre.objects.filter(pk__in=ids).order_by("name", "pk"))


def get_duty_shift(user, pk, perm="rota.manage"):
    queryset = scope(DutyShift.objects.select_related("membership__user", "centre"), user)
    return get_for_centre(user, queryset, perm, pk=pk)
