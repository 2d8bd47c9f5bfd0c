"""Who may open the staff and settings pages: centre admins of the centre (centre.admin).

Built on kendra/access.py's one rule: outside the user's centres (or family only) 404,
inside without the right 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from kendra import access
from kendra.models import Centre, Membership

from .models import STAFF_ROLE_CHOICES, StaffInvitation

STAFF_ROLES = [value for value, _ in STAFF_ROLE_CHOICES]


def admin_centres(user):
    """Centres the user administers, by name; 403 for other staff, 404 for anyone else."""
    ids = access.centre_ids_for(user, "centre.admin")
    if not ids:
        if not access.is_staff_member(user):
            raise Http404
        raise PermissionDenied
    return list(Centre.objects.filter(pk__in=ids).order_by("name", "pk"))


def get_admin_centre(user, pk=None):
    """The centre a page is about (the first one administered when `pk` is None)."""
    if pk is None:
        centres = admin_centres(user)
        return centres[0], centres
    centre = get_object_or_404(Centre.objects.filter(pk__in=access.staff_centre_ids(user)), pk=pk)
    access.require(user, "centre.admin", centre.pk)
    return centre, admin_centres(user)


def get_membership(user, pk):
    """A staff membership (a person's place in a centre): 404 outside, 403 without rights."""
    memberships = access.scope(
        Membership.objects.filter(role__in=STAFF_ROLES).select_related("user", "centre"), user
    )
    return access.get_for_centre(user, memberships, "centre.admin", pk=pk)


def get_invitation(user, pk):
    invitations = access.scope(StaffInvitation.objects.select_related("centre"), user)
    return access.get_for_centre(user, invitations, "centre.admin", pk=pk)
