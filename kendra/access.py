"""THE place that answers "what may this user see".

Every view fetches its objects through a function here. The rule (DESIGN.md):
someone outside the centre (or family) gets 404, never a hint that the object
exists; someone inside with too little rights gets 403.

Roles are per centre (Membership). A user's memberships are read once per
request and cached on the user object, so permission checks cost no queries.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Centre, Membership, Resident, Role

STAFF_ROLES = frozenset(
    {Role.COUNSELOR, Role.PEER_LEADER, Role.MENTOR, Role.ALUMNI_COORDINATOR, Role.CENTRE_ADMIN}
)

# What each permission needs, by role within the object's centre. One table, so the
# answer to "who may do X" is read here and nowhere else.
PERMISSIONS = {
    "residents.list": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "residents.view": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "residents.edit": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "residents.discharge": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "notes.view": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "notes.write": {Role.COUNSELOR},
    "groups.view": {Role.COUNSELOR, Role.PEER_LEADER, Role.CENTRE_ADMIN},
    "groups.manage": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "attendance.view": {Role.COUNSELOR, Role.PEER_LEADER, Role.CENTRE_ADMIN},
    "attendance.log": {Role.COUNSELOR},
    "pairings.view": {Role.PEER_LEADER, Role.COUNSELOR, Role.CENTRE_ADMIN},
    "pairings.manage": {Role.PEER_LEADER, Role.CENTRE_ADMIN},
    "contacts.log": {Role.MENTOR, Role.PEER_LEADER},
    "alumni.view": {Role.ALUMNI_COORDINATOR, Role.CENTRE_ADMIN},
    "alumni.manage": {Role.ALUMNI_COORDINATOR, Role.CENTRE_ADMIN},
    "families.manage": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "checkins.view": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "checkins.record": {Role.COUNSELOR},
    "alerts.handle": {Role.COUNSELOR, Role.MENTOR, Role.CENTRE_ADMIN},
    "reminders.manage": {Role.COUNSELOR, Role.CENTRE_ADMIN, Role.ALUMNI_COORDINATOR},
    "reports.view": {Role.CENTRE_ADMIN, Role.COUNSELOR},
    "audit.view": {Role.CENTRE_ADMIN},
    "centre.admin": {Role.CENTRE_ADMIN},
}


def roles_by_centre(user):
    """{centre_id: {role, …}} for the user's active memberships (cached per user object)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_kendra_roles", None)
    if cached is None:
        cached = {}
        for centre_id, role in Membership.objects.filter(user=user, is_active=True).values_list(
            "centre_id", "role"
        ):
            cached.setdefault(centre_id, set()).add(role)
        user._kendra_roles = cached
    return cached


def forget_roles(user):
    """Drop the cached memberships (after a membership changes in the same request)."""
    if hasattr(user, "_kendra_roles"):
        del user._kendra_roles


def roles(user):
    """Every role the user holds, in any centre."""
    found = set()
    for centre_roles in roles_by_centre(user).values():
        found |= centre_roles
    return found


def has_role(user, *wanted, centre_id=None):
    for cid, held in roles_by_centre(user).items():
        if (centre_id is None or cid == centre_id) and held & set(wanted):
            return True
    return False


def can(user, perm, centre_id=None):
    """May the user do `perm` in that centre (or in any of their centres when None)?"""
    return has_role(user, *PERMISSIONS[perm], centre_id=centre_id)


def require(user, perm, centre_id=None):
    if not can(user, perm, centre_id):
        raise PermissionDenied


def centre_ids(user, roles=STAFF_ROLES):
    return [cid for cid, held in roles_by_centre(user).items() if held & set(roles)]


def centre_ids_for(user, perm):
    return centre_ids(user, PERMISSIONS[perm])


def staff_centre_ids(user):
    return centre_ids(user, STAFF_ROLES)


def is_staff_member(user):
    return bool(staff_centre_ids(user))


def is_family_only(user):
    return bool(roles_by_centre(user)) and not is_staff_member(user)


def centres_for(user, perm):
    """Centres where the user may do `perm` (for choice fields)."""
    return Centre.objects.filter(pk__in=centre_ids_for(user, perm))


# --- residents -------------------------------------------------------------------------


def visible_residents(user):
    """Residents of every centre where the user works (any staff role)."""
    return Resident.objects.filter(centre_id__in=staff_centre_ids(user))


def residents_for(user, perm):
    """Residents the user may act on with `perm`."""
    return Resident.objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_resident(user, pk, perm="residents.view"):
    """404 outside the user's centres; 403 inside without `perm`."""
    resident = get_object_or_404(visible_residents(user).select_related("centre"), pk=pk)
    require(user, perm, resident.centre_id)
    return resident


def get_for_centre(user, queryset, perm, **lookup):
    """The same rule for any centre-owned model: `queryset` must have a `centre_id`.

    Apps call this with their own querysets (already narrowed to the user's centres by
    `scope`) so that every object fetch follows one rule.
    """
    obj = get_object_or_404(queryset, **lookup)
    require(user, perm, obj.centre_id)
    return obj


def scope(queryset, user, centre_field="centre"):
    """Narrow any centre-owned queryset to the centres where the user works."""
    return queryset.filter(**{f"{centre_field}__in": staff_centre_ids(user)})


# --- groups (groups/) -------------------------------------------------------------------
# Peer groups, sessions, attendance and notes: querysets added by the groups app's issue.


# --- mentors (mentors/) -----------------------------------------------------------------
# Mentor profiles, pairings and contact logs.


# --- alumni (alumni/) -------------------------------------------------------------------
# Alumni profiles, visits, milestones, follow-ups.


# --- families (families/) ---------------------------------------------------------------
# Family members, family groups and meetings. A family member sees only what a consent
# in force lets them see.


# --- check-ins, alerts and notifications (kendra/checkins, kendra/notify) ---------------


def visible_alerts(user):
    """Alerts the user may handle: counselors and centre admins see their centres' alerts;
    a mentor sees only the alerts of their own mentees."""
    from django.apps import apps
    from django.db.models import Q

    Alert = apps.get_model("checkins", "Alert")
    wanted = Q(centre_id__in=centre_ids(user, {Role.COUNSELOR, Role.CENTRE_ADMIN}))
    mentor_centres = centre_ids(user, {Role.MENTOR})
    if mentor_centres:
        from .checkins.rules import mentee_ids

        wanted |= Q(centre_id__in=mentor_centres, resident_id__in=mentee_ids(user))
    return Alert.objects.filter(wanted)


def get_alert(user, pk):
    """404 outside the user's centres; 403 inside for someone who may not handle it."""
    from django.apps import apps

    Alert = apps.get_model("checkins", "Alert")
    alert = get_object_or_404(scope(Alert.objects.select_related("resident"), user), pk=pk)
    if not visible_alerts(user).filter(pk=pk).exists():
        raise PermissionDenied
    return alert
