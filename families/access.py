"""What family members and staff may see of families, on the core's rule
(kendra/access.py). A family member sees only what a consent in force lets them see,
read on every request (never cached), so a withdrawal takes effect at once."""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from kendra.access import get_for_centre, require, scope, staff_centre_ids
from kendra.models import Consent, Resident

from .models import FamilyGroup, FamilyMeeting, FamilyMember, VisitingHours


def family_resident_ids(user):
    """Residents whose schedule this user may see: linked, AND consent in force, right now.

    Read on every request (never cached), so a withdrawal takes effect at once.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    consent = Consent.objects.filter(
        resident_id=OuterRef("resident_id"),
        purpose=Consent.Purpose.FAMILY_SCHEDULE,
        grantee=user,
        withdrawn_at__isnull=True,
    )
    return list(
        FamilyMember.objects.filter(user=user)
        .filter(Exists(consent))
        .values_list("resident_id", flat=True)
    )


def family_meetings(user, resident_ids=None):
    """Meetings a family member may see: groups their resident's family is invited to,
    and their resident's family sessions. Nothing else, ever."""
    ids = family_resident_ids(user) if resident_ids is None else resident_ids
    if not ids:
        return FamilyMeeting.objects.none()
    groups = FamilyGroup.objects.filter(residents__in=ids).values("pk")
    return FamilyMeeting.objects.filter(Q(group__in=groups) | Q(resident_id__in=ids))


def family_groups(user):
    """Family groups of the centres where the user works (staff side)."""
    return scope(FamilyGroup.objects.all(), user)


def staff_family_meetings(user):
    return scope(FamilyMeeting.objects.all(), user)


def get_family_group(user, pk, perm="families.manage"):
    return get_for_centre(user, family_groups(user), perm, pk=pk)


def get_family_meeting(user, pk, perm="families.manage"):
    return get_for_centre(
        user, staff_family_meetings(user).select_related("group", "resident"), perm, pk=pk
    )


def get_family_link(user, pk, perm="families.manage"):
    """A FamilyMember row, for staff (404 outside their centres, 403 without rights)."""
    links = FamilyMember.objects.filter(resident__centre_id__in=staff_centre_ids(user))
    link = get_object_or_404(links.select_related("resident", "user"), pk=pk)
    require(user, perm, link.resident.centre_id)
    return link


def family_visiting_hours(user, resident_ids=None):
    """Active visiting hours of the centres where this family member's residents are
    admitted, and only while a consent is in force (as for meetings)."""
    ids = family_resident_ids(user) if resident_ids is None else resident_ids
    if not ids:
        return VisitingHours.objects.none()
    centres = Resident.objects.filter(pk__in=ids, status=Resident.Status.ADMITTED).values(
        "centre_id"
    )
    return VisitingHours.objects.filter(is_active=True, centre_id__in=centres)


def staff_visiting_hours(user):
    """Visiting hours of the centres where the user works (staff side)."""
    return scope(VisitingHours.objects.all(), user)


def get_visiting_hours(user, pk, perm="families.manage"):
    return get_for_centre(user, staff_visiting_hours(user), perm, pk=pk)
