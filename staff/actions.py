"""State changes for a centre's staff, each audited: invite, accept, give and take roles,
deactivate. Views stay thin; tests set up data the way the pages do."""

import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kendra import access, audit
from kendra.actions import end_membership
from kendra.models import Membership, Profile, Role, new_token
from kendra.notify import outbox

from .access import STAFF_ROLES
from .models import SignIn, StaffInvitation


class StaffError(ValueError):
    """A change refused, with the reason in words a centre admin understands."""


def display(user):
    return user.get_full_name() or user.username


# --- who is on the staff -----------------------------------------------------------------


def on_staff(centre):
    """Memberships of people on the centre's staff now (any staff role)."""
    return Membership.objects.filter(centre=centre, is_active=True, role__in=STAFF_ROLES)


def staff_users(centre, search=""):
    """People on the centre's staff, by name, with `search` over name, username and contact."""
    users = get_user_model().objects.filter(
        pk__in=on_staff(centre).values("user_id"), is_active=True
    )
    text = (search or "").strip()
    if text:
        users = users.filter(
            Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(username__icontains=text)
            | Q(email__icontains=text)
            | Q(profile__phone__icontains=text)
        )
    return users.order_by("first_name", "last_name", "username")


def holder_of(*, email="", phone=""):
    """The account with this email or phone, if any (for invitations)."""
    wanted = Q(pk__in=[])
    if email:
        wanted |= Q(email__iexact=email)
    if phone:
        wanted |= Q(profile__phone=phone)
    return get_user_model().objects.filter(wanted).order_by("pk").first()


def is_on_staff(centre, user):
    return user is not None and on_staff(centre).filter(user=user, user__is_active=True).exists()


def _admins_left(centre, without):
    """Other active centre admins of the centre, rows locked so two admins cannot remove
    each other at the same moment."""
    held = Membership.objects.select_for_update().filter(
        centre=centre, role=Role.CENTRE_ADMIN, is_active=True
    )
    return [m for m in held.select_related("user") if m.user_id != without.pk and m.user.is_active]


# --- invitations ---------------------------------------------------------------------------


def _free_username(email, phone):
    base = re.sub(r"[^\w.@+-]", "", (email.split("@")[0] if email else phone.lstrip("+")))[:30]
    base = base or "staff"
    User = get_user_model()
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def _account_for(data):
    user = holder_of(email=data["email"], phone=data["phone"])
    if user is None:
        first, _, last = data["name"].partition(" ")
        user = get_user_model().objects.create_user(
            username=_free_username(data["email"], data["phone"]),
            email=data["email"],
            first_name=first[:150],
            last_name=last[:150],
            is_active=False,  # until they accept and choose a password (none yet: unusable)
        )
    elif data["email"] and not user.email:
        user.email = data["email"]
        user.save(update_fields=["email"])
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"language": translation.get_language() or "hi"}
    )
    if data["phone"] and not profile.phone:
        profile.phone = data["phone"]
        profile.save(update_fields=["phone"])
    user.profile = profile
    return user


@transaction.atomic
def invite(form, centre, by, accept_url):
    """Write the invitation and put its link in the outbox. Returns (invitation, token)."""
    data = form.cleaned_data
    user = _account_for(data)
    if is_on_staff(centre, user):
        raise StaffError(_("This person is already on the staff of this centre."))
    # Earlier open invitations of this person stop working (invitations keep no history:
    # cancelled_at/cancelled_by are their record).
    StaffInvitation.objects.filter(
        centre=centre, user=user, used_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now(), cancelled_by=by)  # the newest link is the one
    token = new_token()
    now = timezone.now()
    invitation = StaffInvitation.objects.create(
        centre=centre,
        user=user,
        role=data["role"],
        name=data["name"],
        phone=data["phone"],
        email=data["email"],
        channel=data["channel"],
        token_hash=StaffInvitation.hash(token),
        created_by=by,
        created_at=now,
        expires_at=now + StaffInvitation.LIFETIME,
    )
    try:
        _send(invitation, accept_url(token))
    except outbox.RecipientError as problem:
        raise StaffError(_("Kendra has no address to send this invitation to.")) from problem
    audit.record(by, "staff.invited", invitation, detail=invitation.get_role_display())
    return invitation, token


def _send(invitation, link):
    centre = invitation.centre
    outbox.enqueue(
        "staff_invitation",
        slot=f"invitation-{invitation.pk}",
        user=invitation.user,
        channel=invitation.channel,
        centre=centre,
        context={
            "invitation": invitation,
            "link": link,
            "name_in_messages": centre.name_in_messages,
            "days": StaffInvitation.LIFETIME.days,
        },
    )


def cancel_invitation(invitation, by):
    cancelled = StaffInvitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now(), cancelled_by=by)
    if not cancelled:
        raise StaffError(_("This invitation was already used or cancelled."))
    audit.record(by, "staff.invitation_cancelled", invitation)


def find_invitation(token):
    """The open invitation for `token`, or StaffError("unknown" / "used" / "expired")."""
    invitation = (
        StaffInvitation.objects.select_related("centre", "user")
        .filter(token_hash=StaffInvitation.hash(token or ""))
        .first()
    )
    if invitation is None:
        raise StaffError("unknown")
    if invitation.used_at or invitation.cancelled_at:
        raise StaffError("used")
    if invitation.is_expired():
        raise StaffError("expired")
    return invitation


@transaction.atomic
def accept(token, form):
    """Claim the invitation once, set the person's username and password, give the role."""
    invitation = find_invitation(token)
    claimed = StaffInvitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, cancelled_at__isnull=True
    ).update(used_at=timezone.now())
    if not claimed:
        raise StaffError("used")
    user = invitation.user
    user.username = form.cleaned_data["username"]
    user.set_password(form.cleaned_data["password1"])
    user.is_active = True
    user.save(update_fields=["username", "password", "is_active"])
    membership, _ = Membership.objects.get_or_create(
        user=user, centre=invitation.centre, role=invitation.role
    )
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit.record(user, "staff.invitation_accepted", invitation, detail=invitation.role)
    return user


# --- roles and deactivation ------------------------------------------------------------------


@transaction.atomic
def set_roles(user, centre, wanted, by, note=""):
    """Give and take the person's roles in the centre. Taking a role ends its membership
    the one way (kendra.actions.end_membership), so pairings and shifts end with it."""
    wanted = set(wanted) & set(STAFF_ROLES)
    if not wanted:
        raise StaffError(
            _("Choose at least one role. To take someone off the staff, use Deactivate.")
        )
    held = {
        m.role: m for m in Membership.objects.select_for_update().filter(user=user, centre=centre)
    }
    active = {role for role, m in held.items() if m.is_active and role in STAFF_ROLES}
    if Role.CENTRE_ADMIN in active - wanted and not _admins_left(centre, user):
        raise StaffError(
            _("%(name)s is the only centre admin. Make someone else centre admin first.")
            % {"name": display(user)}
        )
    for role in sorted(wanted - active):
        membership = held.get(role) or Membership(user=user, centre=centre, role=role)
        membership.is_active = True
        membership.save()
        audit.record(by, "membership.given", membership, detail=membership.get_role_display())
    for role in sorted(active - wanted):
        end_membership(held[role], by, note=note or _("Role taken away."))
    access.forget_roles(user)
    return wanted - active, active - wanted


@transaction.atomic
def deactivate(user, centre, by, note):
    """Take the person off the centre's staff in one step: every role here ends (their
    pairings end with the note, their shifts leave the rota, their alerts stop), they are
    signed out everywhere, and without a role anywhere they can no longer sign in."""
    if user.pk == by.pk:
        raise StaffError(_("You cannot deactivate yourself. Ask another centre admin."))
    held = list(on_staff(centre).select_for_update().filter(user=user))
    if not held:
        raise StaffError(_("%(name)s is not on the staff any more.") % {"name": display(user)})
    if any(m.role == Role.CENTRE_ADMIN for m in held) and not _admins_left(centre, user):
        raise StaffError(
            _("%(name)s is the only centre admin. Make someone else centre admin first.")
            % {"name": display(user)}
        )
    for membership in held:
        end_membership(membership, by, note=note)
    if not user.is_superuser and not Membership.objects.filter(user=user, is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
    ended = sign_out_everywhere(user)
    audit.record(
        by, "staff.deactivated", user, centre=centre, detail=f"{note} ({ended} session(s))"[:500]
    )
    return held


def sign_out_everywhere(user):
    """End every session the person signed in with. Returns how many were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(SignIn.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    SignIn.objects.filter(user=user).delete()
    return len(keys)
