"""THE place that answers "what may this user see".

Every view fetches its objects through a function here. The rule (DESIGN.md):
someone outside the centre (or family) gets 404, never a hint that the object
exists; someone inside with too little rights gets 403.

Roles are per centre (Membership). A user's memberships are read once per
request — with the user itself, by kendra/backends.py — and cached on the user object,
so permission checks cost no queries.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
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


def remember_roles(user, joined):
    """Cache memberships read with the user ("centre:role,…", kendra/backends.py)."""
    pairs = (pair.split(":", 1) for pair in filter(None, joined.split(",")))
    _remember(user, ((int(centre_id), role) for centre_id, role in pairs))


def _remember(user, pairs):
    found = {}
    for centre_id, role in pairs:
        found.setdefault(centre_id, set()).add(role)
    user._kendra_roles = found
    return found


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
    from django.db.models import Q

    from .models import AuditEvent

    ids = centre_ids_for(user, "audit.view")
    staff_of_centre = Membership.objects.filter(centre_id__in=ids).values("user_id")
    return AuditEvent.objects.filter(
        Q(centre_id__in=ids) | Q(centre__isnull=True, user_id__in=staff_of_centre)
    )


def get_import_job(user, pk, perm="residents.edit"):
    from .models import ImportJob

    return get_for_centre(user, scope(ImportJob.objects.all(), user), perm, pk=pk)


def get_consent(user, pk, perm="consents.manage"):
    from .models import Consent

    consent = get_object_or_404(
        Consent.objects.filter(resident__centre_id__in=staff_centre_ids(user)).select_related(
            "resident"
        ),
        pk=pk,
    )
    require(user, perm, consent.resident.centre_id)
    return consent


# --- groups (groups/) -------------------------------------------------------------------
# Peer groups, sessions, attendance and notes. Counselors and centre admins see every
# group of their centre; a peer leader only the groups they co-lead, and never notes.

GROUP_WIDE_ROLES = frozenset({Role.COUNSELOR, Role.CENTRE_ADMIN})


def _own_group_filter(user, prefix=""):
    """Q for the groups `user` may see: whole centres, or only co-led groups."""
    from django.db.models import Q

    wide = centre_ids(user, GROUP_WIDE_ROLES)
    led = [cid for cid in centre_ids_for(user, "groups.view") if cid not in wide]
    return Q(**{f"{prefix}centre_id__in": wide}) | Q(
        **{f"{prefix}centre_id__in": led, f"{prefix}co_leader": user}
    )


def groups_for(user):
    """Peer groups the user may open."""
    from django.apps import apps

    PeerGroup = apps.get_model("groups", "PeerGroup")
    return PeerGroup.objects.filter(_own_group_filter(user))


def sessions_for(user):
    """Sessions of the groups the user may open."""
    from django.apps import apps

    Session = apps.get_model("groups", "Session")
    return Session.objects.filter(_own_group_filter(user, "group__"))


def _may_open_group(user, group):
    if has_role(user, *GROUP_WIDE_ROLES, centre_id=group.centre_id):
        return True
    return group.co_leader_id == user.pk


def get_group(user, pk, perm="groups.view"):
    """404 outside the user's centres; 403 inside without `perm` or not their group."""
    from django.apps import apps

    PeerGroup = apps.get_model("groups", "PeerGroup")
    group = get_for_centre(
        user, scope(PeerGroup.objects.select_related("centre"), user), perm, pk=pk
    )
    if not _may_open_group(user, group):
        raise PermissionDenied
    return group


SESSION_RELATED = ("group", "group__centre", "facilitator", "signed_by")


def get_session(user, pk, perm="attendance.view", related=SESSION_RELATED):
    """A session, by the same rule as its group. `related` are the relations loaded with
    it, for the page that shows them (each join costs compiling the query as much as
    running it)."""
    from django.apps import apps

    Session = apps.get_model("groups", "Session")
    queryset = Session.objects.all()
    if related:  # select_related() without names would follow every foreign key
        queryset = queryset.select_related(*related)
    session = get_for_centre(user, scope(queryset, user), perm, pk=pk)
    # The group (a query here unless loaded) only for those who see co-led groups only.
    wide = has_role(user, *GROUP_WIDE_ROLES, centre_id=session.centre_id)
    if not wide and session.group.co_leader_id != user.pk:
        raise PermissionDenied
    return session


# --- mentors (mentors/) -----------------------------------------------------------------
# Mentor profiles, pairings and contact logs. Peer leaders, counselors and centre admins
# see every pairing of their centre (pairings.view); a mentor sees only their own
# mentees, and another mentor's pairing is a 404 to them, as to an outsider.


def mentor_profiles_for(user, perm="pairings.manage"):
    from django.apps import apps

    MentorProfile = apps.get_model("mentors", "MentorProfile")
    return MentorProfile.objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_mentor_profile(user, pk, perm="pairings.manage"):
    from django.apps import apps

    MentorProfile = apps.get_model("mentors", "MentorProfile")
    return get_for_centre(
        user,
        scope(MentorProfile.objects.select_related("resident", "centre", "user"), user),
        perm,
        pk=pk,
    )


def visible_pairings(user):
    """Every pairing of centres where the user has pairings.view, plus their own as mentor."""
    from django.apps import apps
    from django.db.models import Q

    Pairing = apps.get_model("mentors", "Pairing")
    own = Q(mentor__user=user, centre_id__in=centre_ids(user, {Role.MENTOR}))
    return Pairing.objects.filter(Q(centre_id__in=centre_ids_for(user, "pairings.view")) | own)


def mentee_pairings(user):
    """The pairings where the user is the mentor (in a centre where they hold the role)."""
    from django.apps import apps

    Pairing = apps.get_model("mentors", "Pairing")
    return Pairing.objects.filter(mentor__user=user, centre_id__in=centre_ids(user, {Role.MENTOR}))


def get_pairing(user, pk, perm="pairings.view"):
    """404 outside the centre and for another mentor's mentee; 403 inside without `perm`.

    The mentor of the pairing may view it and log contacts on it (not end or reassign).
    """
    from django.apps import apps

    Pairing = apps.get_model("mentors", "Pairing")
    pairing = get_object_or_404(
        scope(Pairing.objects.select_related("mentor__resident", "mentor__user", "mentee"), user),
        pk=pk,
    )
    # Mentors act only on their own pairings, even where the table lets the role act.
    if has_role(user, *(PERMISSIONS[perm] - {Role.MENTOR}), centre_id=pairing.centre_id):
        return pairing
    is_mentor = has_role(user, Role.MENTOR, centre_id=pairing.centre_id)
    if is_mentor and pairing.mentor.user_id == user.pk:
        if perm in {"pairings.view", "contacts.log"}:
            return pairing
        raise PermissionDenied
    if is_mentor and not can(user, "pairings.view", pairing.centre_id):
        raise Http404  # another mentor's mentee: not even a hint it exists
    raise PermissionDenied


# --- alumni (alumni/) -------------------------------------------------------------------
# Alumni profiles, visits, milestones, follow-ups.


def require_alumni_page(user, perm="alumni.view"):
    """For alumni list pages: 404 to anyone who is not staff (family), 403 to staff without
    `perm` anywhere."""
    from django.http import Http404

    if not is_staff_member(user):
        raise Http404
    require(user, perm)


def _alumni_model(name):
    from django.apps import apps

    return apps.get_model("alumni", name)


def alumni_for(user, perm="alumni.view"):
    """Alumni profiles of the centres where the user may do `perm`."""
    return _alumni_model("AlumniProfile").objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_alumnus(user, pk, perm="alumni.view"):
    """404 outside the user's centres; 403 inside without `perm`."""
    queryset = scope(
        _alumni_model("AlumniProfile").objects.select_related("resident", "centre"), user
    )
    return get_for_centre(user, queryset, perm, pk=pk)


def alumni_visits_for(user, perm="alumni.view"):
    return _alumni_model("Visit").objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_alumni_visit(user, pk, perm="alumni.view"):
    queryset = scope(_alumni_model("Visit").objects.select_related("centre"), user)
    return get_for_centre(user, queryset, perm, pk=pk)


def alumni_followups_for(user, perm="alumni.view"):
    return _alumni_model("FollowUp").objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_alumni_followup(user, pk, perm="alumni.view"):
    queryset = scope(
        _alumni_model("FollowUp").objects.select_related("profile__resident", "centre"), user
    )
    return get_for_centre(user, queryset, perm, pk=pk)


def alumni_stories_for(user, perm="alumni.manage"):
    """Success stories (drafts too) of the centres where the user may do `perm`."""
    return _alumni_model("SuccessStory").objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_alumni_story(user, pk, perm="alumni.manage"):
    queryset = scope(
        _alumni_model("SuccessStory").objects.select_related("profile__resident", "consent"),
        user,
    )
    return get_for_centre(user, queryset, perm, pk=pk)


def published_stories_for(user):
    """Stories staff may read: their centres, published, consent for the story in force now."""
    return (
        _alumni_model("SuccessStory")
        .objects.visible()
        .filter(centre_id__in=centre_ids_for(user, "stories.read"))
    )


# --- families (families/) ---------------------------------------------------------------
# Family members, family groups and meetings. A family member sees only what a consent
# in force lets them see.


def family_resident_ids(user):
    """Residents whose schedule this user may see: linked, AND consent in force, right now.

    Read on every request (never cached), so a withdrawal takes effect at once.
    """
    from django.apps import apps
    from django.db.models import Exists, OuterRef

    from .models import Consent

    if not getattr(user, "is_authenticated", False):
        return []
    FamilyMember = apps.get_model("families", "FamilyMember")
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
    from django.apps import apps
    from django.db.models import Q

    FamilyMeeting = apps.get_model("families", "FamilyMeeting")
    FamilyGroup = apps.get_model("families", "FamilyGroup")
    ids = family_resident_ids(user) if resident_ids is None else resident_ids
    if not ids:
        return FamilyMeeting.objects.none()
    groups = FamilyGroup.objects.filter(residents__in=ids).values("pk")
    return FamilyMeeting.objects.filter(Q(group__in=groups) | Q(resident_id__in=ids))


def family_groups(user):
    """Family groups of the centres where the user works (staff side)."""
    from django.apps import apps

    return scope(apps.get_model("families", "FamilyGroup").objects.all(), user)


def staff_family_meetings(user):
    from django.apps import apps

    return scope(apps.get_model("families", "FamilyMeeting").objects.all(), user)


def get_family_group(user, pk, perm="families.manage"):
    return get_for_centre(user, family_groups(user), perm, pk=pk)


def get_family_meeting(user, pk, perm="families.manage"):
    return get_for_centre(
        user, staff_family_meetings(user).select_related("group", "resident"), perm, pk=pk
    )


def get_family_link(user, pk, perm="families.manage"):
    """A FamilyMember row, for staff (404 outside their centres, 403 without rights)."""
    from django.apps import apps

    links = apps.get_model("families", "FamilyMember").objects.filter(
        resident__centre_id__in=staff_centre_ids(user)
    )
    link = get_object_or_404(links.select_related("resident", "user"), pk=pk)
    require(user, perm, link.resident.centre_id)
    return link


def family_visiting_hours(user, resident_ids=None):
    """Active visiting hours of the centres where this family member's residents are
    admitted, and only while a consent is in force (as for meetings)."""
    from django.apps import apps

    from .models import Resident

    VisitingHours = apps.get_model("families", "VisitingHours")
    ids = family_resident_ids(user) if resident_ids is None else resident_ids
    if not ids:
        return VisitingHours.objects.none()
    centres = Resident.objects.filter(pk__in=ids, status=Resident.Status.ADMITTED).values(
        "centre_id"
    )
    return VisitingHours.objects.filter(is_active=True, centre_id__in=centres)


def staff_visiting_hours(user):
    """Visiting hours of the centres where the user works (staff side)."""
    from django.apps import apps

    return scope(apps.get_model("families", "VisitingHours").objects.all(), user)


def get_visiting_hours(user, pk, perm="families.manage"):
    return get_for_centre(user, staff_visiting_hours(user), perm, pk=pk)


# --- check-ins, alerts and notifications (checkins, kendra/notify) ---------------


def visible_alerts(user):
    """Alerts the user may handle: counselors and centre admins see their centres' alerts;
    a mentor sees only the alerts of their own mentees."""
    from django.apps import apps
    from django.db.models import Q

    Alert = apps.get_model("checkins", "Alert")
    wanted = Q(centre_id__in=centre_ids(user, {Role.COUNSELOR, Role.CENTRE_ADMIN}))
    mentor_centres = centre_ids(user, {Role.MENTOR})
    if mentor_centres:
        from checkins.rules import mentee_ids

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


# --- on-duty rota (rota/) --------------------------------------------------------------
# Counselors and centre admins of the centre say who is on duty; nobody else sees it.


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
    from django.apps import apps

    DutyShift = apps.get_model("rota", "DutyShift")
    queryset = scope(DutyShift.objects.select_related("membership__user", "centre"), user)
    return get_for_centre(user, queryset, perm, pk=pk)


# --- reports (reports/) -----------------------------------------------------------------
# Centre-wide numbers: counselors and centre admins of the centre (reports.view).


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
