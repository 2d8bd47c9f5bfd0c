"""The main pages of each demo role, looked up in the seeded demo (call after the `demo` fixture)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from kendra.navigation import sections_for

ROLES = ["counselor", "peerleader", "mentor", "coordinator", "family", "admin"]


def _first(model, **lookup):
    from django.apps import apps

    return apps.get_model(*model.split(".")).objects.filter(**lookup).order_by("pk").first()


def main_pages(username):
    """Home, every section in the role's menu, and one page of each kind it opens."""
    user = get_user_model().objects.get(username=username)
    paths = ["/"] + [item["url"] for item in sections_for(user)] + ["/notifications/"]
    jaipur = {"centre__name__contains": "Jaipur"}
    resident = _first("kendra.Resident", status="admitted", **jaipur)
    group = _first("groups.PeerGroup", is_archived=False, **jaipur)
    session = _first("groups.Session", **jaipur)
    coming = _first("groups.Session", status="planned", start__gt=timezone.now(), **jaipur)
    pairing = _first("mentors.Pairing", **jaipur)
    own = _first("mentors.Pairing", mentor__user__username="mentor", ended_at__isnull=True)
    alumnus = _first("alumni.AlumniProfile", **jaipur)
    family_group = _first("families.FamilyGroup", **jaipur)
    staff = _first("kendra.Membership", role="mentor", **jaipur)
    # The demo mentor login's own mentee has a relapse-prevention plan (recovery/demo.py).
    planned = _first(
        "recovery.RecoveryPlan",
        resident__mentor_pairings__mentor__user=own.mentor.user,
        resident__mentor_pairings__ended_at__isnull=True,
    )
    discharged = _first("kendra.Resident", status="discharged", **jaipur)
    extra = {
        "counselor": [
            f"/residents/{resident.pk}/",
            "/residents/admit/",
            f"/groups/{group.pk}/",
            f"/groups/sessions/{session.pk}/log/",
            f"/groups/{group.pk}/edit/",
            f"/groups/sessions/{coming.pk}/move/",
            f"/groups/sessions/{coming.pk}/lead/",
            f"/mentors/pairings/{pairing.pk}/",
            f"/families/groups/{family_group.pk}/",
            f"/checkins/plans/{resident.pk}/",
            f"/recovery-plans/{planned.resident_id}/",
            f"/recovery-plans/{planned.resident_id}/edit/",
            f"/recovery-plans/{planned.resident_id}/card/",
        ],
        "peerleader": [f"/groups/{group.pk}/", f"/mentors/pairings/{pairing.pk}/"],
        "mentor": [
            f"/mentors/pairings/{own.pk}/contact/",
            f"/recovery-plans/{planned.resident_id}/",
        ],
        "coordinator": [f"/alumni/{alumnus.pk}/", "/alumni/decisions/", "/alumni/visits/propose/"],
        "family": ["/families/calendar/"],
        "admin": [
            f"/residents/{resident.pk}/",
            "/mentors/profiles/",
            "/staff/settings/",
            f"/staff/centres/{resident.centre_id}/invite/",
            "/notifications/not-delivered/",
            f"/staff/members/{staff.pk}/",
            f"/staff/members/{staff.pk}/deactivate/",
            f"/residents/{discharged.pk}/erase/",
            f"/erasures/retention/{resident.centre_id}/",
        ],
    }[username]
    seen = []
    for path in paths + extra:
        if path not in seen:
            seen.append(path)
    return seen


def checkin_link():
    from checkins.models import ReminderPlan

    plan = ReminderPlan.objects.filter(
        resident__status="admitted", resident__centre__name__contains="Jaipur"
    ).first()
    return f"/checkins/c/{plan.new_link()}/"
