import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kendra import access, audit
from kendra.forms import int_param, text_param
from kendra.models import Role

from . import access as mentor_access
from . import actions, alumni_pairing, queries
from .forms import ContactLogForm, EndPairingForm, MentorProfileForm, ReassignForm
from .models import MentorProfile, Pairing

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _is_overdue(pairing, now):
    last = pairing.last_touch
    return last < now - dt.timedelta(days=pairing.centre.mentor_contact_overdue_days)


def days_waiting(resident, today):
    since = resident.admission_date
    if resident.last_ended:
        since = max(since, timezone.localtime(resident.last_ended).date())
    return (today - since).days


@login_required
def queue(request):
    """Admitted residents without a mentor, newest first."""
    access.require(request.user, "pairings.manage")
    return render(request, "mentors/queue.html", _queue_context(request))


def _queue_context(request):
    query = text_param(request.GET, "q")
    residents = (
        access.residents_for(request.user, "pairings.manage")
        .admitted()
        .exclude(pk__in=Pairing.objects.active().values("mentee_id"))
        .filter(mentor_profile__isnull=True)  # mentors themselves are not waiting for one
        .annotate(last_ended=Max("mentor_pairings__ended_at"))
        .search(query)
        .order_by("-admission_date", "-pk")
    )
    page = _page(request, residents)
    today = timezone.localdate()
    # Prepared once per page, so the rows only print: the address and the button's words.
    prefix = reverse("mentors:suggestions", args=[0]).rsplit("/0/", 1)[0]
    find = _("Find a mentor for %(name)s")
    for resident in page.object_list:
        resident.waiting = days_waiting(resident, today)
        resident.suggest_url = f"{prefix}/{resident.pk}/suggestions/"
        resident.find_label = find % {"name": resident.display_name}
    return {"page": page, "query": query}


@login_required
def suggestions(request, pk):
    mentee = access.get_resident(request.user, pk, "pairings.manage")
    return render(
        request,
        "mentors/suggestions.html",
        _suggestions_context(mentee, request.GET.get("previous") == "1"),
    )


def _suggestions_context(mentee, include_previous):
    current = (
        Pairing.objects.active().filter(mentee=mentee).select_related("mentor__resident").first()
    )
    ranked = [] if current else actions.suggestions(mentee, include_previous=include_previous)
    return {
        "mentee": mentee,
        "current": current,
        "suggestions": ranked,
        "include_previous": include_previous,
    }


@login_required
@require_POST
def assign(request, pk):
    mentee = access.get_resident(request.user, pk, "pairings.manage")
    mentor = mentor_access.mentor_profiles_for(request.user).filter(
        pk=int_param(request.POST.get("mentor")) or 0  # not a number: no one, said in words
    )
    alumnus = int_param(request.POST.get("alumnus"))
    try:
        if alumnus is not None:
            pairing = _pair_alumnus(request, alumnus, mentee)
        elif not mentor.exists():
            raise actions.PairingError(_("Choose a mentor from this centre."))
        else:
            pairing = actions.assign_mentor(mentor.get().pk, mentee.pk, request.user)
    except actions.PairingError as error:
        messages.error(request, _("Nothing was saved. %(why)s") % {"why": error})
        return redirect("mentors:suggestions", mentee.pk)
    messages.success(
        request,
        _("%(mentor)s is now the mentor of %(mentee)s.")
        % {"mentor": pairing.mentor.name, "mentee": mentee.display_name},
    )
    return redirect("mentors:pairing_detail", pairing.pk)


def _pair_alumnus(request, alumnus_pk, mentee):
    """An alumnus candidate: their mentor profile, the pairing, and the invitation."""
    pairing, invitation = alumni_pairing.pair_alumnus(
        alumnus_pk,
        mentee.pk,
        request.user,
        lambda token: request.build_absolute_uri(reverse("staff:accept", args=[token])),
    )
    if invitation is not None:
        messages.info(
            request,
            _("%(name)s has been sent an invitation to sign in to Kendra as a mentor.")
            % {"name": pairing.mentor.name},
        )
    return pairing


@login_required
def pairing_list(request):
    access.require(request.user, "pairings.view")
    status = request.GET.get("status", "active")
    query = text_param(request.GET, "q")
    mentor = request.GET.get("mentor", "")
    reason = request.GET.get("reason", "")
    pairings = (
        mentor_access.visible_pairings(request.user)
        .filter(centre_id__in=access.centre_ids_for(request.user, "pairings.view"))
        .select_related("mentor__resident", "mentee", "centre", "assigned_by")
        .with_last_contact()
    )
    pairings = queries.filter_pairings(pairings, status, mentor, reason, query)
    page = _page(request, pairings.order_by("-started_at", "-pk"))
    now = timezone.now()
    for p in page.object_list:
        p.overdue = p.is_active and _is_overdue(p, now)
    mentors = mentor_access.mentor_profiles_for(request.user, "pairings.view").select_related(
        "resident"
    )
    return render(
        request,
        "mentors/pairing_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "mentor": mentor,
            "reason": reason,
            "mentors": mentors,
            "reasons": Pairing.EndReason.choices,
            "can_manage": access.can(request.user, "pairings.manage"),
        },
    )


@login_required
def pairing_detail(request, pk):
    pairing = mentor_access.get_pairing(request.user, pk)
    contacts = pairing.contacts.select_related("logged_by")
    history = (
        Pairing.objects.filter(mentee=pairing.mentee)
        .exclude(pk=pairing.pk)
        .select_related("mentor__resident")
    )
    audit.record(request.user, "pairing.viewed", pairing, resident=pairing.mentee)
    user = request.user
    return render(
        request,
        "mentors/pairing_detail.html",
        {
            "pairing": pairing,
            "contacts": contacts,
            "history": history,
            "can_manage": access.can(user, "pairings.manage", pairing.centre_id),
            "can_log": pairing.is_active
            and (
                pairing.mentor.user_id == user.pk
                or access.has_role(user, Role.PEER_LEADER, centre_id=pairing.centre_id)
            ),
        },
    )


@login_required
def end(request, pk):
    pairing = mentor_access.get_pairing(request.user, pk, "pairings.manage")
    if not pairing.is_active:
        messages.info(request, _("This pairing has already ended."))
        return redirect("mentors:pairing_detail", pairing.pk)
    form = EndPairingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_pairing(
                pairing, form.cleaned_data["reason"], request.user, form.cleaned_data["note"]
            )
        except actions.PairingError as error:
            messages.error(request, _("Nothing was saved. %(why)s") % {"why": error})
        else:
            messages.success(request, _("The pairing has ended. Its history is kept."))
        return redirect("mentors:pairing_detail", pairing.pk)
    return render(request, "mentors/pairing_end.html", {"pairing": pairing, "form": form})


@login_required
def reassign(request, pk):
    pairing = mentor_access.get_pairing(request.user, pk, "pairings.manage")
    if not pairing.is_active:
        messages.info(request, _("This pairing has already ended."))
        return redirect("mentors:pairing_detail", pairing.pk)
    ranked = [
        s
        for s in actions.suggestions(pairing.mentee)
        if s.mentor.pk != pairing.mentor_id and not hasattr(s, "alumnus")
    ]
    form = ReassignForm(request.POST or None, suggestions=ranked)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.reassign(
                pairing, form.cleaned_data["mentor"], request.user, form.cleaned_data["note"]
            )
        except actions.PairingError as error:
            messages.error(request, _("Nothing was saved. %(why)s") % {"why": error})
            return redirect("mentors:reassign", pairing.pk)
        messages.success(
            request,
            _("%(mentee)s now has a new mentor: %(mentor)s.")
            % {"mentee": new.mentee.display_name, "mentor": new.mentor.name},
        )
        return redirect("mentors:pairing_detail", new.pk)
    return render(
        request,
        "mentors/pairing_reassign.html",
        {"pairing": pairing, "form": form, "suggestions": ranked},
    )


@login_required
def log_contact(request, pk):
    pairing = mentor_access.get_pairing(request.user, pk, "contacts.log")
    if not pairing.is_active:
        messages.info(request, _("This pairing has ended; contacts can no longer be logged."))
        return redirect("mentors:pairing_detail", pairing.pk)
    form = ContactLogForm(request.POST or None, pairing=pairing)
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_contact(form, pairing, request.user)
        except actions.PairingError as error:
            messages.error(request, _("Nothing was saved. %(why)s") % {"why": error})
        else:
            messages.success(request, _("Contact logged. Thank you."))
        if pairing.mentor.user_id == request.user.pk:
            return redirect("mentors:my_mentees")
        return redirect("mentors:pairing_detail", pairing.pk)
    return render(request, "mentors/contact_form.html", {"pairing": pairing, "form": form})


@login_required
def my_mentees(request):
    if not access.has_role(request.user, Role.MENTOR):
        access.require(request.user, "contacts.log")  # 403 for anyone but mentors
    pairings = list(
        mentor_access.mentee_pairings(request.user)
        .active()
        .select_related("mentee", "centre", "mentor__resident")
        .with_last_contact()
        .order_by("last_touch", "pk")
    )
    now = timezone.now()
    for p in pairings:
        p.overdue = _is_overdue(p, now)
    overdue = [p for p in pairings if p.overdue]
    has_profile = MentorProfile.objects.filter(user=request.user).exists()
    return render(
        request,
        "mentors/my_mentees.html",
        {"pairings": pairings, "overdue": overdue, "has_profile": has_profile},
    )


@login_required
def profile_list(request):
    access.require(request.user, "pairings.manage")
    query = text_param(request.GET, "q")
    profiles = (
        mentor_access.mentor_profiles_for(request.user)
        .with_load()
        .select_related("resident", "user", "centre")
        .order_by("resident__full_name", "pk")
    )
    if query:
        profiles = profiles.filter(resident__full_name__icontains=query)
    page = _page(request, profiles)
    flagged = actions.flagged_resident_ids([p.resident_id for p in page.object_list])
    today = timezone.localdate()
    for p in page.object_list:
        p.problem = p.ineligible_reason(today, has_open_alert=p.resident_id in flagged)
    return render(request, "mentors/profile_list.html", {"page": page, "query": query})


@login_required
def profile_create(request):
    access.require(request.user, "pairings.manage")
    centre_ids = access.centre_ids_for(request.user, "pairings.manage")
    form = MentorProfileForm(request.POST or None, centre_ids=centre_ids)
    if request.method == "POST" and form.is_valid():
        profile = form.save()
        audit.record(request.user, "mentor_profile.created", profile, resident=profile.resident)
        messages.success(request, _("%(name)s is now a mentor.") % {"name": profile.name})
        return redirect("mentors:profiles")
    return render(request, "mentors/profile_form.html", {"form": form})


@login_required
def profile_edit(request, pk):
    profile = mentor_access.get_mentor_profile(request.user, pk)
    form = MentorProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(
            request.user,
            "mentor_profile.changed",
            profile,
            resident=profile.resident,
            detail=", ".join(form.changed_data),
        )
        messages.success(request, _("Changes saved."))
        return redirect("mentors:profiles")
    return render(request, "mentors/profile_form.html", {"form": form, "profile": profile})
