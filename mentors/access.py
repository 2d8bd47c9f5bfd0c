"""Who may see which mentor profile and pairing, on the core's rule (kendra/access.py).

Peer leaders, counselors and centre admins see every pairing of their centre
(pairings.view); a mentor sees only their own mentees, and another mentor's pairing is a
404 to them, as to an outsider.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from kendra.access import (
    PERMISSIONS,
    can,
    centre_ids,
    centre_ids_for,
    get_for_centre,
    has_role,
    scope,
)
from kendra.models import Role

from .models import MentorProfile, Pairing


def mentor_profiles_for(user, perm="pairings.manage"):
    return MentorProfile.objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_mentor_profile(user, pk, perm="pairings.manage"):
    return get_for_centre(
        user,
        scope(MentorProfile.objects.select_related("resident", "centre", "user"), user),
        perm,
        pk=pk,
    )


def visible_pairings(user):
    """Every pairing of centres where the user has pairings.view, plus their own as mentor."""
    own = Q(mentor__user=user, centre_id__in=centre_ids(user, {Role.MENTOR}), ended_at=None)
    return Pairing.objects.filter(Q(centre_id__in=centre_ids_for(user, "pairings.view")) | own)


def mentee_pairings(user):
    """The pairings where the user is the mentor (in a centre where they hold the role)."""
    return Pairing.objects.filter(mentor__user=user, centre_id__in=centre_ids(user, {Role.MENTOR}))


def get_pairing(user, pk, perm="pairings.view"):
    """404 outside the centre and for another mentor's mentee; 403 inside without `perm`.

    The mentor of the pairing may view it and log contacts on it (not end or reassign).
    """
    pairing = get_object_or_404(
        scope(Pairing.objects.select_related("mentor__resident", "mentor__user", "mentee"), user),
        pk=pk,
    )
    # Mentors act only on their own pairings, even where the table lets the role act.
    if has_role(user, *(PERMISSIONS[perm] - {Role.MENTOR}), centre_id=pairing.centre_id):
        return pairing
    is_mentor = has_role(user, Role.MENTOR, centre_id=pairing.centre_id)
    # Only while it lasts: an ended pairing is staff's history, not the former mentor's.
    if is_mentor and pairing.mentor.user_id == user.pk and pairing.ended_at is None:
        if perm in {"pairings.view", "contacts.log"}:
            return pairing
        raise PermissionDenied
    if is_mentor and not can(user, "pairings.view", pairing.centre_id):
        raise Http404  # another mentor's mentee, or no longer theirs: not even a hint
    raise PermissionDenied
