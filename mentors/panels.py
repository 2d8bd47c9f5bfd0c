"""Sections this app adds to the resident page and the home page."""

from django.utils import timezone

from kendra import access
from kendra.models import Role

from . import access as mentor_access
from .models import MentorProfile, Pairing

NEAR_CAPACITY = 1  # free places at or under which a mentor counts as nearly full


def resident_panel(request, resident):
    """Current mentor and pairing history, for those who may see pairings."""
    if not access.can(request.user, "pairings.view", resident.centre_id):
        return None
    pairings = list(
        Pairing.objects.filter(mentee=resident)
        .select_related("mentor__resident")
        .with_last_contact()
        .order_by("-started_at", "-pk")
    )
    current = next((p for p in pairings if p.is_active), None)
    return {
        "resident": resident,
        "current": current,
        "history": [p for p in pairings if not p.is_active],
        "can_manage": access.can(request.user, "pairings.manage", resident.centre_id),
    }


def peer_leader_panel(request):
    user = request.user
    centre_ids = access.centre_ids_for(user, "pairings.manage")
    if not centre_ids:
        return None
    today = timezone.localdate()
    unpaired = (
        access.residents_for(user, "pairings.manage")
        .admitted()
        .exclude(pk__in=Pairing.objects.active().values("mentee_id"))
        .filter(mentor_profile__isnull=True)  # mentors themselves are not waiting for one
        .order_by("admission_date")
    )
    count = unpaired.count()
    oldest = unpaired.first()
    mentors = [
        m
        for m in MentorProfile.objects.filter(centre_id__in=centre_ids, accepts_mentees=True)
        .with_load()
        .select_related("resident")
        .order_by("resident__full_name")
        if m.capacity - m.load <= NEAR_CAPACITY
    ]
    overdue = list(
        Pairing.objects.filter(centre_id__in=centre_ids)
        .overdue()
        .select_related("mentor__resident", "mentee")
        .order_by("last_touch")[:5]
    )
    return {
        "unpaired_count": count,
        "longest_wait": (today - oldest.admission_date).days if oldest else None,
        "near_capacity": mentors,
        "overdue": overdue,
    }


def mentor_panel(request):
    if not access.has_role(request.user, Role.MENTOR):
        return None
    pairings = list(
        mentor_access.mentee_pairings(request.user)
        .active()
        .select_related("mentee")
        .with_last_contact()
        .order_by("last_touch", "pk")
    )
    overdue = {p.pk for p in mentor_access.mentee_pairings(request.user).overdue()}
    for p in pairings:
        p.overdue = p.pk in overdue
    return {"pairings": pairings, "overdue_count": len(overdue)}
