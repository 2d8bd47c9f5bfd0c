"""The permission matrix: every URL pattern × every demo role and anonymous, against a table.

URL names come from the resolver: a page added later without a row in ALLOWED fails
`test_every_url_pattern_is_in_the_table`, so nobody forgets to decide who may open it.
Each page is opened with objects of the demo's home centre (Jaipur) and, for pages that
take an object, with objects of the other centre (Lucknow) — which everyone here must
get as 404, never as 403 or 200, so an id leaks nothing.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kendra.actions import end_membership
from kendra.models import Centre, ErasureRequest, Membership, Resident, Role
from staff import actions as staff_actions
from staff.models import StaffInvitation

from ..factories import UserFactory
from .matrix import answer, seed, url_names

C, P, M, A, F, ADMIN = "counselor", "peerleader", "mentor", "coordinator", "family", "admin"
# A mentor whose role was taken away (account kept), and a counselor deactivated by the
# centre admin (staff.actions.deactivate): neither may open anything of the centre.
FORMER, GONE = "former-mentor", "deactivated-counselor"
ROLES = [C, P, M, A, F, ADMIN, FORMER, GONE]
MENTEE = "mentee"  # an object spec's fourth item: the resident the mentor login mentors
# Pages for anyone signed in; the deactivated counselor can no longer sign in at all.
EVERYONE = set(ROLES) - {GONE}

# name: (roles that get the page (200) with their own centre's object, object to open)
# Objects: (model label, lookup to the centre, kwarg name). POST-only actions list who may
# post; everyone else must be refused (403/404) when they post.
# Endpoints only a provider calls: they read no session, so nobody is "signed out" there.
PROVIDER_ONLY = {"whatsapp_webhook", "sms_status_webhook"}
ALLOWED = {
    "home": (EVERYONE, None),
    "login": ({"anonymous", GONE}, None),  # signed-in people are sent home
    "logout": (set(), None),
    "switch_language": (set(), None),
    "switch_centre": (EVERYONE - {F}, None),  # staff, POST only; a centre not theirs: 404
    "notifications": (EVERYONE, None),
    "notifications_read": (EVERYONE, None),
    # Delivery reports from the SMS gateway and WhatsApp: signed by the provider (HMAC),
    # never opened by a person, so every role is refused.
    "whatsapp_webhook": (set(), None),
    "sms_status_webhook": (set(), None),
    "undelivered": ({ADMIN}, None),
    "send_again": ({ADMIN}, ("notify.Notification", "centre", "pk")),
    "send_line_again": ({ADMIN}, "line"),
    "audit_log": ({ADMIN}, None),
    "resident_list": ({C, ADMIN}, None),
    "resident_create": ({C, ADMIN}, None),
    "resident_detail": ({C, ADMIN}, ("kendra.Resident", "centre", "pk")),
    "resident_edit": ({C, ADMIN}, ("kendra.Resident", "centre", "pk")),
    "resident_discharge": ({C, ADMIN}, ("kendra.Resident", "centre", "pk")),
    "resident_readmit": ({C, ADMIN}, ("kendra.Resident", "centre", "pk")),
    "stay_stage": ({C, ADMIN}, ("kendra.Stay", "centre", "pk")),
    "resident_export": ({ADMIN}, ("kendra.Resident", "centre", "pk")),
    "resident_erase": ({ADMIN}, ("kendra.Resident", "centre", "pk")),
    "erasure_list": ({ADMIN}, None),
    "erasure_confirm": ({ADMIN}, ("kendra.ErasureRequest", "centre", "pk")),
    "erasure_cancel": ({ADMIN}, ("kendra.ErasureRequest", "centre", "pk")),
    "erasure_retention": ({ADMIN}, ("kendra.Centre", "pk", "centre_pk")),
    "consent_add": ({C, ADMIN}, ("kendra.Resident", "centre", "pk")),
    "consent_withdraw": ({C, ADMIN}, ("kendra.Consent", "resident__centre", "pk")),
    "import_upload": ({C, ADMIN}, None),
    "import_sample": ({C, ADMIN}, None),
    "import_detail": ({C, ADMIN}, ("kendra.ImportJob", "centre", "pk")),
    "import_start": ({C, ADMIN}, ("kendra.ImportJob", "centre", "pk")),
    "checkins:grid": ({C}, None),
    "checkins:alerts": ({C, M, ADMIN}, None),
    "checkins:alert_acknowledge": ({C, M, ADMIN}, ("checkins.Alert", "centre", "pk")),
    "checkins:alert_resolve": ({C, M, ADMIN}, ("checkins.Alert", "centre", "pk")),
    "checkins:plan": ({C, A, ADMIN}, ("kendra.Resident", "centre", "resident_pk")),
    "checkins:plan_revoke": ({C, ADMIN}, ("kendra.Resident", "centre", "resident_pk")),
    "checkins:plan_close_links": ({C, ADMIN}, ("kendra.Resident", "centre", "resident_pk")),
    "checkins:answer": ("token", None),
    "rota:rota": ({C, ADMIN}, None),
    # The mentor's own mentee (MENTEE): a mentor reads and writes only their mentees' plans.
    "recovery:plan": ({C, M, ADMIN}, ("kendra.Resident", "centre", "resident_pk", MENTEE)),
    "recovery:plan_card": ({C, M, ADMIN}, ("kendra.Resident", "centre", "resident_pk", MENTEE)),
    "recovery:plan_edit": ({C, M}, ("kendra.Resident", "centre", "resident_pk", MENTEE)),
    "rota:shift_remove": ({C, ADMIN}, ("rota.DutyShift", "centre", "pk")),
    "groups:list": ({C, P, ADMIN}, None),
    "groups:today": ({C, P, ADMIN}, None),
    "groups:create": ({C, ADMIN}, None),
    "groups:register": ({C, P, ADMIN}, None),
    "groups:detail": ({C, P, ADMIN}, ("groups.PeerGroup", "centre", "pk")),
    "groups:edit": ({C, ADMIN}, ("groups.PeerGroup", "centre", "pk")),
    "groups:archive": ({C, ADMIN}, ("groups.PeerGroup", "centre", "pk")),
    "groups:generate": ({C, ADMIN}, ("groups.PeerGroup", "centre", "pk")),
    "groups:member_add": ({C, ADMIN}, ("groups.PeerGroup", "centre", "pk")),
    "groups:member_leave": ({C, ADMIN}, ("groups.GroupMember", "group__centre", "member")),
    "groups:session_create": ({C, ADMIN}, ("groups.PeerGroup", "centre", "pk")),
    "groups:session": ({C, P, ADMIN}, ("groups.Session", "centre", "pk")),
    "groups:session_log": ({C, P}, ("groups.Session", "centre", "pk")),
    "groups:session_mark": ({C, P}, ("groups.Session", "centre", "pk")),
    "groups:session_sign": ({C, P}, ("groups.Session", "centre", "pk")),
    "groups:session_cosign": ({C}, ("groups.Session", "centre", "pk")),
    "groups:session_addendum": ({C}, ("groups.Session", "centre", "pk")),
    "groups:session_cancel": ({C, ADMIN}, ("groups.Session", "centre", "pk")),
    "groups:session_move": ({C, ADMIN}, ("groups.Session", "centre", "pk")),
    "groups:session_lead": ({C, ADMIN}, ("groups.Session", "centre", "pk")),
    "groups:session_sheet": ({C, P, ADMIN}, ("groups.Session", "centre", "pk")),
    "mentors:queue": ({P, ADMIN}, None),
    "mentors:pairings": ({C, P, ADMIN}, None),
    "mentors:my_mentees": ({P, M}, None),
    "mentors:profiles": ({P, ADMIN}, None),
    "mentors:profile_create": ({P, ADMIN}, None),
    "mentors:profile_edit": ({P, ADMIN}, ("mentors.MentorProfile", "centre", "pk")),
    "mentors:suggestions": ({P, ADMIN}, ("kendra.Resident", "centre", "pk")),
    "mentors:assign": ({P, ADMIN}, ("kendra.Resident", "centre", "pk")),
    "mentors:pairing_detail": ({C, P, M, ADMIN}, ("mentors.Pairing", "centre", "pk")),
    "mentors:end": ({P, ADMIN}, ("mentors.Pairing", "centre", "pk")),
    "mentors:reassign": ({P, ADMIN}, ("mentors.Pairing", "centre", "pk")),
    "mentors:log_contact": ({P, M}, ("mentors.Pairing", "centre", "pk")),
    "alumni:directory": ({A, ADMIN}, None),
    "alumni:queue": ({A, ADMIN}, None),
    "alumni:milestones": ({A, ADMIN}, None),
    "alumni:visits": ({A, ADMIN}, None),
    "alumni:visit_propose": ({A, ADMIN}, None),
    "alumni:followups": ({A, ADMIN}, None),
    "alumni:detail": ({A, ADMIN}, ("alumni.AlumniProfile", "centre", "pk")),
    "alumni:edit": ({A, ADMIN}, ("alumni.AlumniProfile", "centre", "pk")),
    "alumni:consent": ({A, ADMIN}, ("alumni.AlumniProfile", "centre", "pk")),
    "alumni:relapse": ({A, ADMIN}, ("alumni.AlumniProfile", "centre", "pk")),
    "alumni:visit": ({A, ADMIN}, ("alumni.Visit", "centre", "pk")),
    "alumni:visit_confirm": ({A, ADMIN}, ("alumni.Visit", "centre", "pk")),
    "alumni:visit_done": ({A, ADMIN}, ("alumni.Visit", "centre", "pk")),
    "alumni:visit_cancel": ({A, ADMIN}, ("alumni.Visit", "centre", "pk")),
    "alumni:followup_outcome": ({A, ADMIN}, ("alumni.FollowUp", "centre", "pk")),
    "alumni:stories": ({A, ADMIN}, None),
    "alumni:story_create": ({A, ADMIN}, None),
    "alumni:published_stories": ({C, P, M, A, ADMIN}, None),
    "alumni:story": ({A, ADMIN}, ("alumni.SuccessStory", "centre", "pk")),
    "alumni:story_edit": ({A, ADMIN}, ("alumni.SuccessStory", "centre", "pk")),
    "alumni:story_publish": ({A, ADMIN}, ("alumni.SuccessStory", "centre", "pk")),
    "alumni:story_withdraw": ({A, ADMIN}, ("alumni.SuccessStory", "centre", "pk")),
    "reports:monthly": ({C, ADMIN}, None),
    "reports:monthly_csv": ({C, ADMIN}, None),
    "families:schedule": (EVERYONE, None),
    "families:calendar": ({F}, None),
    "families:calendar_reset": ({F}, None),
    "families:feed": ("token", None),
    "families:accept": ("token", None),
    "families:groups": ({C, ADMIN}, None),
    "families:group_create": ({C, ADMIN}, None),
    "families:group_detail": ({C, ADMIN}, ("families.FamilyGroup", "centre", "pk")),
    "families:group_edit": ({C, ADMIN}, ("families.FamilyGroup", "centre", "pk")),
    "families:meeting_create": ({C, ADMIN}, ("families.FamilyGroup", "centre", "pk")),
    "families:session_create": ({C, ADMIN}, ("kendra.Resident", "centre", "resident_pk")),
    "families:meeting_edit": ({C, ADMIN}, ("families.FamilyMeeting", "centre", "pk")),
    "families:meeting_cancel": ({C, ADMIN}, ("families.FamilyMeeting", "centre", "pk")),
    "families:meeting_held": ({C, ADMIN}, ("families.FamilyMeeting", "centre", "pk")),
    # POST only: a family member answers a meeting of their own family (404 otherwise).
    "families:meeting_answer": ({F}, ("families.FamilyMeeting", "centre", "pk")),
    "families:resident_family": ({C, ADMIN}, ("kendra.Resident", "centre", "resident_pk")),
    "families:invite": ({C, ADMIN}, ("kendra.Resident", "centre", "resident_pk")),
    "families:revoke": ({C, ADMIN}, ("families.FamilyMember", "resident__centre", "pk")),
    "families:visiting_hours": ({C, ADMIN}, None),
    "families:visiting_create": ({C, ADMIN}, None),
    "families:visiting_edit": ({C, ADMIN}, ("families.VisitingHours", "centre", "pk")),
    "families:visiting_status": ({C, ADMIN}, ("families.VisitingHours", "centre", "pk")),
    "staff:home": ({ADMIN}, None),
    "staff:settings_home": ({ADMIN}, None),
    "staff:list": ({ADMIN}, ("kendra.Centre", "pk", "pk")),
    "staff:invite": ({ADMIN}, ("kendra.Centre", "pk", "pk")),
    "staff:centre_settings": ({ADMIN}, ("kendra.Centre", "pk", "pk")),
    "staff:apply_defaults": ({ADMIN}, ("kendra.Centre", "pk", "pk")),
    "staff:person": ({ADMIN}, ("kendra.Membership", "centre", "pk")),
    "staff:deactivate": ({ADMIN}, ("kendra.Membership", "centre", "pk")),
    "staff:invitation_cancel": ({ADMIN}, ("staff.StaffInvitation", "centre", "pk")),
    "staff:accept": ("token", None),
}
REFUSED = {403, 404, 405, "login"}


def test_every_url_pattern_is_in_the_table():
    missing = url_names() - set(ALLOWED)
    assert not missing, f"decide who may open these pages, in ALLOWED: {sorted(missing)}"
    assert not set(ALLOWED) - url_names(), "ALLOWED names pages that no longer exist"


def _object(spec, centre, mentor_user):
    label, lookup = spec[0], spec[1]
    if label == "kendra.Centre":  # pages about the centre itself
        return centre
    objects = apps.get_model(label).objects.filter(**{lookup: centre}).order_by("pk")
    if label == "mentors.Pairing":  # the mentor demo login's own mentee, so "own" is theirs
        objects = objects.filter(mentor__user=mentor_user) or objects
    if spec[3:] == (MENTEE,):  # the mentor login's own mentee, so "own" is theirs
        objects = objects.filter(mentor_pairings__mentor__user=mentor_user) or objects
    if label == "checkins.Alert":  # an alert about the mentor login's own mentee
        objects = objects.filter(resident__mentor_pairings__mentor__user=mentor_user) or objects
    if label == "notify.Notification":  # one the not-delivered page lists
        objects = objects.filter(status="failed")
    if label == "groups.PeerGroup" or label == "groups.Session":
        path = (
            "co_leader__username" if label == "groups.PeerGroup" else "group__co_leader__username"
        )
        objects = objects.filter(**{path: "peerleader"}) or objects
        if label == "groups.Session":  # a circle or activity: a peer leader logs those
            objects = objects.exclude(group__kind="therapy") or objects
    return objects.first()


def _path(name, spec, obj):
    if spec is None:
        return reverse(name)
    if spec == "line":  # a configuration line of the not-delivered page (seeded in world)
        return reverse(name, kwargs={"channel": "sms", "reason": "credentials"})
    if obj is None:
        return None
    kwarg = spec[2]
    if name == "resident_export":
        return reverse(name, kwargs={"pk": obj.pk, "fmt": "json"})
    if kwarg == "member":
        return reverse(name, kwargs={"pk": obj.group_id, "member_pk": obj.pk})
    return reverse(name, kwargs={kwarg: obj.pk})


@pytest.fixture
def world(db):
    seed()
    User = get_user_model()
    home = Centre.objects.get(name__contains="Jaipur")
    away = Centre.objects.get(name__contains="Lucknow")
    _former_and_deactivated(home)
    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    # An alert about the mentor login's own mentee, so the mentor's row has one to open.
    pairing = apps.get_model("mentors.Pairing").objects.filter(mentor__user=users[M]).first()
    apps.get_model("checkins.Alert").objects.create(
        resident=pairing.mentee, centre=home, rule="low_mood", reason="Mood 1", dedupe_key="m"
    )
    # A message not delivered in each centre, and a refused-credentials line at home.
    Notification = apps.get_model("notify.Notification")
    for centre, reason in ((home, "refused"), (away, "refused"), (home, "credentials")):
        Notification.objects.create(
            centre=centre,
            channel="sms",
            address="+919800000000",
            kind="checkin",
            slot=f"matrix-{centre.pk}-{reason}",
            dedupe_key=f"matrix-{centre.pk}-{reason}",
            body="-",
            status="failed",
            reason=reason,
        )
    for centre in (home, away):  # an erasure waiting for a second admin in each centre
        discharged = Resident.objects.filter(centre=centre, status="discharged").first()
        ErasureRequest.objects.create(
            resident=discharged, centre=centre, reason="person_asked", requested_by=users[C]
        )
    for centre, digest in ((home, "h1"), (away, "h2")):
        StaffInvitation.objects.create(
            centre=centre,
            user=users[C],
            role=Role.COUNSELOR,
            name="Invited",
            phone="+919829099999",
            channel="sms",
            token_hash=digest,
            expires_at=timezone.now() + StaffInvitation.LIFETIME,
        )
    return users, home, away


def _former_and_deactivated(home):
    """The two extra columns, made the way the product makes them."""
    admin = get_user_model().objects.get(username=ADMIN)
    former = UserFactory(username=FORMER)
    role = Membership.objects.create(user=former, centre=home, role=Role.MENTOR)
    end_membership(role, admin, note="stepped back")
    gone = UserFactory(username=GONE)
    Membership.objects.create(user=gone, centre=home, role=Role.COUNSELOR)
    staff_actions.deactivate(gone, home, admin, "left the centre")


def test_the_matrix(world, client):
    users, home, away = world
    problems, checked = [], 0
    rows = [(n, roles, spec) for n, (roles, spec) in sorted(ALLOWED.items()) if roles != "token"]
    for name, allowed, spec in rows:
        own = _path(name, spec, spec and spec != "line" and _object(spec, home, users[M]))
        foreign = spec and spec != "line" and _path(name, spec, _object(spec, away, None))
        for role in ROLES + ["anonymous"]:
            if role == "anonymous":
                client.logout()
            else:
                client.force_login(users[role])
            if own:
                got = answer(client, own, "get")
                checked += 1
                # An allowed role gets the page, or is sent on (an action whose object is
                # not in the right state redirects back with a message).
                if role in allowed and got in REFUSED - {405}:
                    problems.append(f"{role} GET {own} ({name}) → {got}, expected the page")
                signed_in_to_login = name == "login" and got == 302
                if role not in allowed and got not in REFUSED and not signed_in_to_login:
                    problems.append(f"{role} GET {own} ({name}) → {got}, expected refusal")
                if (
                    role not in allowed
                    and role != "anonymous"
                    and name not in {"logout", "switch_language", "login"}
                ):
                    got = answer(client, own, "post")
                    checked += 1
                    if got not in REFUSED:
                        problems.append(f"{role} POST {own} ({name}) → {got}, expected refusal")
            if (
                role == GONE
                and own
                and name != "login"
                and name not in PROVIDER_ONLY
                and got not in ("login", 405)
            ):
                problems.append(f"{GONE} {own} ({name}) → {got}, expected to be signed out")
            if foreign and role not in ("anonymous", GONE):
                for method in ("get", "post"):
                    got = answer(client, foreign, method)
                    checked += 1
                    if got not in (404, 405):
                        problems.append(
                            f"{role} {method.upper()} {foreign} ({name}, other centre) → {got}, expected 404"
                        )
    print(
        f"\npermission matrix: {len(rows)} URL patterns × {len(ROLES) + 1} roles, {checked} answers checked"
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", [n for n, (roles, _) in ALLOWED.items() if roles == "token"])
def test_token_links_answer_404_to_a_wrong_token(client, db, name):
    kwargs = {"token": "not-a-real-token-0000000000000000"}
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
