"""Who may read and write a resident's relapse-prevention plan, on the core's rule
(kendra/access.py).

Counselors write it with the resident; a mentor may read and write the plan of a mentee
of an active pairing (the plan is written "with their counselor or mentor"); centre
admins read it. Everyone else — peer leaders, alumni coordinators, another mentor, a
family member, another centre — gets 404, never a hint that a plan exists. A centre admin
who tries to write gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from kendra import providers
from kendra.access import can, roles_by_centre, staff_centre_ids
from kendra.models import Resident, Role

MENTOR_ONLY = {Role.MENTOR}


def _reads_as_mentor_only(user, centre_id):
    """True when the user reads the plan only because they mentor the resident."""
    held = roles_by_centre(user).get(centre_id, set())
    return not (held & {Role.COUNSELOR, Role.CENTRE_ADMIN})


def may_read(user, resident):
    if not can(user, "recovery_plans.view", resident.centre_id):
        return False
    if _reads_as_mentor_only(user, resident.centre_id):
        return resident.pk in providers.mentee_ids(user)
    return True


def may_write(user, resident):
    return may_read(user, resident) and can(user, "recovery_plans.write", resident.centre_id)


def get_resident(user, pk, write=False):
    """The resident whose plan the user opens: 404 unless they may read it, 403 when they
    may read but not write and want to write."""
    resident = get_object_or_404(
        Resident.objects.filter(centre_id__in=staff_centre_ids(user)).select_related("centre"),
        pk=pk,
    )
    if not may_read(user, resident):
        raise Http404
    if write and not may_write(user, resident):
        raise PermissionDenied
    return resident
