"""Staff and roles: a centre admin's pages for the people who work in the centre."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kendra.models import Membership
from kendra.ratelimits import token_page

from . import access, actions
from .forms import AcceptForm, DeactivateForm, InviteForm, RolesForm, SearchForm
from .models import StaffInvitation

PER_PAGE = 25


@login_required
def staff_list(request, pk=None):
    centre, centres = access.get_admin_centre(request.user, pk)
    search = SearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    here = Membership.objects.filter(centre=centre, is_active=True, role__in=access.STAFF_ROLES)
    users = actions.staff_users(centre, text).select_related("profile")
    users = users.prefetch_related(Prefetch("memberships", here.order_by("role"), "roles_here"))
    page = Paginator(users, PER_PAGE).get_page(request.GET.get("page"))
    invitations = StaffInvitation.objects.filter(
        centre=centre, used_at__isnull=True, cancelled_at__isnull=True
    ).order_by("-created_at")[:50]
    context = {"centre": centre, "centres": centres, "page": page, "search": search}
    context["invitations"] = invitations
    return render(request, "staff/staff_list.html", context)


@login_required
def invite(request, pk):
    centre, _centres = access.get_admin_centre(request.user, pk)
    form = InviteForm(request.POST if request.method == "POST" else None, centre=centre)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = actions.invite(
                form,
                centre,
                request.user,
                lambda token: request.build_absolute_uri(reverse("staff:accept", args=[token])),
            )
        except actions.StaffError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(
                request,
                _("Invitation sent to %(name)s. The link works for 7 days.")
                % {"name": invitation.name},
            )
            return redirect("staff:list", pk=centre.pk)
    return render(request, "staff/invite.html", {"centre": centre, "form": form})


@login_required
def invitation_cancel(request, pk):
    invitation = access.get_invitation(request.user, pk)
    if request.method == "POST":
        try:
            actions.cancel_invitation(invitation, request.user)
            messages.success(request, _("The invitation is cancelled. Its link no longer works."))
        except actions.StaffError as problem:
            messages.error(request, str(problem))
        return redirect("staff:list", pk=invitation.centre_id)
    return render(request, "staff/invitation_cancel.html", {"invitation": invitation})


@login_required
def person(request, pk):
    membership = access.get_membership(request.user, pk)
    user, centre = membership.user, membership.centre
    held = Membership.objects.filter(user=user, centre=centre, role__in=access.STAFF_ROLES)
    active = sorted(m.role for m in held if m.is_active)
    form = RolesForm(request.POST if request.method == "POST" else None, initial={"roles": active})
    if request.method == "POST" and form.is_valid() and active and user.is_active:
        try:
            actions.set_roles(
                user, centre, form.cleaned_data["roles"], request.user, form.cleaned_data["note"]
            )
        except actions.StaffError as problem:
            form.add_error("roles", str(problem))
        else:
            messages.success(request, _("Roles saved."))
            return redirect("staff:person", pk=membership.pk)
    context = {"membership": membership, "person": user, "centre": centre, "form": form}
    context["on_staff"] = bool(active) and user.is_active
    return render(request, "staff/person.html", context)


@login_required
def deactivate(request, pk):
    membership = access.get_membership(request.user, pk)
    user, centre = membership.user, membership.centre
    form = DeactivateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.deactivate(user, centre, request.user, form.cleaned_data["note"])
        except actions.StaffError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(
                request,
                _("%(name)s is no longer on the staff and has been signed out everywhere.")
                % {"name": actions.display(user)},
            )
            return redirect("staff:list", pk=centre.pk)
    pairings = _active_pairings(user, centre)
    context = {"membership": membership, "person": user, "centre": centre, "form": form}
    context["pairings"] = pairings
    return render(request, "staff/deactivate.html", context)


def _active_pairings(user, centre):
    """How many mentees lose this person as mentor (told on the confirmation page)."""
    from django.apps import apps

    Pairing = apps.get_model("mentors", "Pairing")
    return Pairing.objects.filter(centre=centre, mentor__user=user, ended_at__isnull=True).count()


INVITATION_PROBLEMS = {
    "unknown": gettext_lazy("This invitation link is not valid. Ask the centre to send a new one."),
    "used": gettext_lazy(
        "This invitation link has already been used or was cancelled. Sign in, or ask the centre for a new link."
    ),
    "expired": gettext_lazy("This invitation link has expired. Ask the centre to send a new one."),
}


@token_page("invitation")
def accept(request, token):
    try:
        invitation = actions.find_invitation(token)
        form = AcceptForm(request.POST if request.method == "POST" else None, user=invitation.user)
        if request.method == "POST" and form.is_valid():
            actions.accept(token, form)
            messages.success(request, _("Your account is ready. Sign in with your new password."))
            return redirect("login")
    except actions.StaffError as problem:
        status = 404 if str(problem) == "unknown" else 410
        context = {"problem": INVITATION_PROBLEMS[str(problem)]}
        return render(request, "staff/accept_problem.html", context, status=status)
    return render(request, "staff/accept.html", {"form": form, "invitation": invitation})
