"""Who may open which peer group and session, on the core's rule (kendra/access.py).

Counselors and centre admins see every group of their centre; a peer leader only the
groups they co-lead and the sessions they stand in for, and never notes. A peer leader
logs, signs and locks only the sharing circles and activity sessions they lead; group
therapy stays with counselors. Someone outside the centre gets 404; inside
without the right, 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from kendra.access import centre_ids, centre_ids_for, get_for_centre, has_role, scope
from kendra.models import Role

from .models import Kind, PeerGroup, Session

GROUP_WIDE_ROLES = frozenset({Role.COUNSELOR, Role.CENTRE_ADMIN})


def _own_group_filter(user, prefix=""):
    """Q for the groups `user` may see: whole centres, or only co-led groups."""
    wide = centre_ids(user, GROUP_WIDE_ROLES)
    led = [cid for cid in centre_ids_for(user, "groups.view") if cid not in wide]
    return Q(**{f"{prefix}centre_id__in": wide}) | Q(
        **{f"{prefix}centre_id__in": led, f"{prefix}co_leader": user}
    )


def groups_for(user):
    """Peer groups the user may open."""
    return PeerGroup.objects.filter(_own_group_filter(user))


def sessions_for(user):
    """Sessions of the groups the user may open, and those they stand in for."""
    led = centre_ids_for(user, "groups.view")
    stand_in = Q(centre_id__in=led, stand_in=user)
    return Session.objects.filter(_own_group_filter(user, "group__") | stand_in)


def _may_open_group(user, group):
    if has_role(user, *GROUP_WIDE_ROLES, centre_id=group.centre_id):
        return True
    return group.co_leader_id == user.pk


def get_group(user, pk, perm="groups.view"):
    """404 outside the user's centres; 403 inside without `perm` or not their group."""
    group = get_for_centre(
        user, scope(PeerGroup.objects.select_related("centre"), user), perm, pk=pk
    )
    if not _may_open_group(user, group):
        raise PermissionDenied
    return group


SESSION_RELATED = (
    "group",
    "group__centre",
    "facilitator",
    "signed_by",
    "cosigned_by",
    "stand_in",
)


def get_session(user, pk, perm="attendance.view", related=SESSION_RELATED):
    """A session, by the same rule as its group. `related` are the relations loaded with
    it, for the page that shows them (each join costs compiling the query as much as
    running it)."""
    queryset = Session.objects.all()
    if related:  # select_related() without names would follow every foreign key
        queryset = queryset.select_related(*related)
    session = get_for_centre(user, scope(queryset, user), perm, pk=pk)
    # The group (a query here unless loaded) only for those who see co-led groups only.
    if has_role(user, *GROUP_WIDE_ROLES, centre_id=session.centre_id):
        return session
    if not leads(user, session) or (perm in LEADER_ACTS and session.group.kind == Kind.THERAPY):
        raise PermissionDenied
    return session


# What a peer leader does only on the circles and activities they lead.
LEADER_ACTS = frozenset({"attendance.log", "sessions.sign"})


def leads(user, session):
    """Is `user` this session's peer leader: the group's co-leader or its stand-in?"""
    return user.pk in (session.group.co_leader_id, session.stand_in_id)


def may_lead(user, session):
    """May `user` log and sign this session (given the permission): a counselor any, a
    peer leader only a circle or activity they lead."""
    if has_role(user, *GROUP_WIDE_ROLES, centre_id=session.centre_id):
        return True
    return leads(user, session) and session.group.kind != Kind.THERAPY
