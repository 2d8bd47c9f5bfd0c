"""THE place that answers "what may this user see".

Every view fetches its objects through a function here or through its app's own
getters (groups/access.py, mentors/access.py, alumni/access.py, families/access.py,
checkins/access.py, rota/access.py, reports/access.py), which are built on the generic
helpers below (`can`, `require`, `scope`, `get_for_centre`). The rule (docs/ARCHITECTURE.md, "The access rule"):
someone outside the centre (or family) gets 404, never a hint that the object
exists; someone inside with too little rights gets 403. This module names no app.

Roles are per centre (Membership). A user's memberships are read once per
request — with the user itself, by kendra/backends.py — and cached on the user object,
so permission checks cost no queries.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import (
    AuditEvent,
    Centre,
    Consent,
    ErasureRequest,
    ImportJob,
    Membership,
    Resident,
    Role,
)

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
    # A peer leader logs, signs and locks only the sharing circles and activity sessions
    # they lead (groups/access.py); group therapy stays with counselors.
    "attendance.log": {Role.COUNSELOR, Role.PEER_LEADER},
    "sessions.sign": {Role.COUNSELOR, Role.PEER_LEADER},
    "sessions.cosign": {Role.COUNSELOR},
    "pairings.view": {Role.PEER_LEADER, Role.COUNSELOR, Role.CENTRE_ADMIN},
    "pairings.manage": {Role.PEER_LEADER, Role.CENTRE_ADMIN},
    "contacts.log": {Role.MENTOR, Role.PEER_LEADER},
    "alumni.view": {Role.ALUMNI_COORDINATOR, Role.CENTRE_ADMIN},
    "alumni.manage": {Role.ALUMNI_COORDINATOR, Role.CENTRE_ADMIN},
    # Published success stories: every staff member of the centre, never family.
    "stories.read": set(STAFF_ROLES),
    "families.manage": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "checkins.view": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "checkins.record": {Role.COUNSELOR},
    "alerts.handle": {Role.COUNSELOR, Role.MENTOR, Role.CENTRE_ADMIN},
    "reminders.manage": {Role.COUNSELOR, Role.CENTRE_ADMIN, Role.ALUMNI_COORDINATOR},
    "reports.view": {Role.CENTRE_ADMIN, Role.COUNSELOR},
    "audit.view": {Role.CENTRE_ADMIN},
    "residents.export": {Role.CENTRE_ADMIN},
    "consents.manage": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    "centre.admin": {Role.CENTRE_ADMIN},
    "rota.manage": {Role.COUNSELOR, Role.CENTRE_ADMIN},
    # The relapse-prevention plan: a mentor only for a mentee of an active pairing
    # (recovery/access.py); family members never.
    "recovery_plans.view": {Role.COUNSELOR, Role.MENTOR, Role.CENTRE_ADMIN},
    "recovery_plans.write": {Role.COUNSELOR, Role.MENTOR},
    "residents.erase": {Role.CENTRE_ADMIN},
}


def roles_by_centre(user):
    """{centre_id: {role, …}} for the user's active memberships (cached per user object)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_kendra_roles", None)
    if cached is None:
        held = Membership.objects.filter(user=user, is_active=True)
        cached = _remember(user, held.values_list("centre_id", "role"))
    return cached


def remember_roles(user, joined, centre_shown=None):
    """Cache memberships read with the user ("centre:role,…", kendra/backends.py).

    A person with roles in several centres works in the one chosen in the header's
    switcher (Profile.current_centre): while it is chosen, every check and every list
    sees that centre only; none chosen (or no longer theirs), all of their centres."""
    pairs = (pair.split(":", 1) for pair in filter(None, joined.split(",")))
    found = _remember(user, ((int(centre_id), role) for centre_id, role in pairs))
    user._kendra_all_roles = found
    user._kendra_centre_shown = centre_shown if centre_shown in found else None
    if user._kendra_centre_shown is not None:
        user._kendra_roles = {centre_shown: found[centre_shown]}


def all_roles_by_centre(user):
    """{centre_id: {role, …}} in every centre of the user, whatever the switcher shows."""
    return getattr(user, "_kendra_all_roles", None) or roles_by_centre(user)


def centre_shown(user):
    """The centre id the switcher shows, or None for all of the user's centres."""
    return getattr(user, "_kendra_centre_shown", None)


def _remember(user, pairs):
    found = {}
    for centre_id, role in pairs:
        found.setdefault(centre_id, set()).add(role)
    user._kendra_roles = found
    return found


def forget_roles(user):
    """Drop the cached memberships (after a membership changes in the same request)."""
    for name in ("_kendra_roles", "_kendra_all_roles", "_kendra_centre_shown"):
        if hasattr(user, name):
            delattr(user, name)


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


def require_staff(user):
    if not is_staff_member(user):
        raise PermissionDenied


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


def get_resident(user, pk, perm="residents.view", with_centre=True):
    """404 outside the user's centres; 403 inside without `perm`. with_centre=False when
    the page does not show the centre: the join is most of the cost."""
    residents = visible_residents(user)
    if with_centre:
        residents = residents.select_related("centre")
    resident = get_object_or_404(residents, pk=pk)
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


def visible_audit_events(user):
    """Audit events of the centres the user administers, with sign-ins of their staff."""
    ids = centre_ids_for(user, "audit.view")
    staff_of_centre = Membership.objects.filter(centre_id__in=ids).values("user_id")
    return AuditEvent.objects.filter(
        Q(centre_id__in=ids) | Q(centre__isnull=True, user_id__in=staff_of_centre)
    )


def get_import_job(user, pk, perm="residents.edit"):
    return get_for_centre(user, scope(ImportJob.objects.all(), user), perm, pk=pk)


def get_consent(user, pk, perm="consents.manage"):
    consent = get_object_or_404(
        Consent.objects.filter(resident__centre_id__in=staff_centre_ids(user)).select_related(
            "resident"
        ),
        pk=pk,
    )
    require(user, perm, consent.resident.centre_id)
    return consent


def get_erasure(user, pk, perm="residents.erase"):
    queryset = scope(ErasureRequest.objects.select_related("resident", "requested_by"), user)
    return get_for_centre(user, queryset, perm, pk=pk)
