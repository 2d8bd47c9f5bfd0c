"""Which centres' reports a user may read, on the core's rule (kendra/access.py):
counselors and centre admins of the centre (reports.view)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from kendra.access import centre_ids_for, centres_for, is_staff_member, require, staff_centre_ids
from kendra.models import Centre


def report_centres(user):
    """Centres whose reports the user may read."""
    return centres_for(user, "reports.view").order_by("name")


def get_report_centre(user, pk=None):
    """The centre a report is about: 404 outside the user's centres (and for family),
    403 inside without reports.view. Without `pk`, the first centre they may report on."""
    if pk is None:
        ids = centre_ids_for(user, "reports.view")
        if not ids:
            if not is_staff_member(user):
                raise Http404
            raise PermissionDenied
        pk = min(ids)
    centre = get_object_or_404(Centre.objects.filter(pk__in=staff_centre_ids(user)), pk=pk)
    require(user, "reports.view", centre.pk)
    return centre
