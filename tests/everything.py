"""One resident touching every model that points at a resident, directly or through
another model — for the export and erasure tests.

MAKERS has one function per such model. `pointing_models()` reads the app registry, so a
model added later that points at a resident (directly, or through a stay, a pairing, an
alert …) shows up there; `test_every_model_that_points_at_a_resident_has_a_maker` then
fails until a maker is added here, and the export and erasure tests cover it.
"""

import datetime as dt

from django.apps import apps
from django.utils import timezone

from kendra.models import AuditEvent, Consent, Resident, Role
from kendra.record import _pointers, is_history

from .factories import ResidentFactory, UserFactory, member

NAME = "Zorawar Pratapsinghji"  # a name found nowhere else
PHONE = "+919876501234"
EMAIL = "zorawar.p@example.in"


def pointing_models():
    """Labels of every (non-history) model with a foreign-key path to Resident."""
    models = [m for m in apps.get_models(include_auto_created=True) if not is_history(m)]
    reached = {Resident}
    changed = True
    while changed:
        changed = False
        for model in models:
            if model not in reached and any(f.related_model in reached for f in _pointers(model)):
                reached.add(model)
                changed = True
    return {m._meta.label for m in reached}


def _alumni(ctx):
    from alumni.models import AlumniProfile

    return AlumniProfile.objects.get_or_create(
        resident=ctx["resident"],
        defaults={"centre": ctx["centre"], "phone": PHONE, "email": EMAIL, "note": f"{NAME} note"},
    )[0]


def _followup(ctx):
    from alumni.models import FollowUp

    return FollowUp.objects.create(
        profile=_alumni(ctx),
        centre=ctx["centre"],
        discharge_date=ctx["today"] - dt.timedelta(days=40),
        months=1,
        due_on=ctx["today"] - dt.timedelta(days=10),
        outcome=FollowUp.Outcome.REACHED_SOBER,
        outcome_note=f"Spoke with {NAME}",
        recorded_at=timezone.now(),
    )


def _relapse(ctx):
    from alumni.models import Relapse

    return Relapse.objects.create(
        profile=_alumni(ctx),
        relapsed_on=ctx["today"] - dt.timedelta(days=5),
        new_sobriety_date=ctx["today"] - dt.timedelta(days=3),
        note=f"{NAME} relapsed",
    )


def _story(ctx):
    from alumni.models import SuccessStory

    return SuccessStory.objects.create(
        profile=_alumni(ctx),
        centre=ctx["centre"],
        title=f"The story of {NAME}",
        text=f"{NAME} tells how it went.",
        consent=_consent(ctx),
    )


def _visit(ctx):
    from alumni.models import Visit

    start = timezone.now() - dt.timedelta(days=3)
    visit = Visit.objects.create(
        centre=ctx["centre"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        purpose=Visit.Purpose.SHARE_STORY,
    )
    visit.alumni.add(_alumni(ctx))
    return visit.alumni.through.objects.filter(visit=visit).first()


def _checkin(ctx):
    from checkins.models import CheckIn

    return CheckIn.objects.create(
        resident=ctx["resident"], mood=2, craving=8, source="link", note=f"{NAME} wrote this"
    )


def _alert(ctx):
    from checkins.models import Alert

    return Alert.objects.get_or_create(
        resident=ctx["resident"],
        dedupe_key="everything",
        defaults={
            "centre": ctx["centre"],
            "rule": "high_craving",
            "reason": f"{NAME} rated their craving 8",
            "checkin": _checkin(ctx),
        },
    )[0]


def _alert_event(ctx):
    from checkins.models import AlertEvent

    return AlertEvent.objects.create(
        alert=_alert(ctx), centre=ctx["centre"], kind="told", user=ctx["staff"]
    )


def _reminder_plan(ctx):
    from checkins.models import ReminderPlan

    return ReminderPlan.objects.get_or_create(
        resident=ctx["resident"], defaults={"centre": ctx["centre"], "local_time": dt.time(9)}
    )[0]


def _checkin_link(ctx):
    plan = _reminder_plan(ctx)
    ctx["token"] = plan.new_link()
    return plan.links.first()


def _family_member(ctx):
    from families.models import CalendarFeed, FamilyMember

    user = UserFactory(username="zorawar-mother", first_name="Kamla", last_name="Devi")
    member(Role.FAMILY_MEMBER, ctx["centre"], username="zorawar-mother")
    Consent.objects.create(resident=ctx["resident"], purpose="family_schedule", grantee=user)
    CalendarFeed.objects.create(user=user, token_hash="f" * 64)
    return FamilyMember.objects.create(
        user=user, resident=ctx["resident"], relationship="parent", phone="+919876500000"
    )


def _family_group(ctx):
    from families.models import FamilyGroup

    group = FamilyGroup.objects.create(centre=ctx["centre"], name="Saturday families")
    group.residents.add(ctx["resident"])
    return group.residents.through.objects.filter(familygroup=group).first()


def _family_meeting(ctx):
    from families.models import FamilyMeeting

    start = timezone.now() + dt.timedelta(days=2)
    return FamilyMeeting.objects.create(
        centre=ctx["centre"],
        resident=ctx["resident"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )


def _meeting_answer(ctx):
    from families.models import FamilyMeeting, FamilyMember, MeetingAnswer

    return MeetingAnswer.objects.create(
        meeting=FamilyMeeting.objects.filter(resident=ctx["resident"]).first()
        or _family_meeting(ctx),
        member=FamilyMember.objects.filter(resident=ctx["resident"]).first() or _family_member(ctx),
        answer="coming",
    )


def _meeting_attendance(ctx):
    from families.models import FamilyMeeting, MeetingAttendance

    meeting = FamilyMeeting.objects.filter(resident=ctx["resident"]).first() or _family_meeting(ctx)
    return MeetingAttendance.objects.create(meeting=meeting, resident=ctx["resident"])


def _invitation(ctx):
    from families.models import Invitation

    return Invitation.objects.create(
        resident=ctx["resident"],
        name=f"Brother of {NAME}",
        relationship="sibling",
        token_hash="e" * 64,
        created_by=ctx["staff"],
        expires_at=timezone.now() + dt.timedelta(days=3),
    )


def _session(ctx):
    from tests.groups.factories import PeerGroupFactory, SessionFactory

    if "session" not in ctx:
        ctx["session"] = SessionFactory(group=PeerGroupFactory(centre=ctx["centre"]))
    return ctx["session"]


def _attendance(ctx):
    from groups.models import Attendance

    return Attendance.objects.create(
        session=_session(ctx),
        resident=ctx["resident"],
        status="present",
        note=f"{NAME} spoke well",
    )


def _addendum(ctx):
    from groups.models import Addendum

    return Addendum.objects.create(
        session=_session(ctx),
        resident=ctx["resident"],
        text=f"Later: {NAME}",
        written_by=ctx["staff"],
    )


def _group_member(ctx):
    from groups.models import GroupMember

    return GroupMember.objects.create(
        group=_session(ctx).group, resident=ctx["resident"], joined_on=ctx["today"]
    )


def _audit(ctx):
    return AuditEvent.objects.create(
        user=ctx["staff"],
        centre=ctx["centre"],
        action="resident.viewed",
        object_type="kendra.resident",
        object_id=str(ctx["resident"].pk),
        resident=ctx["resident"],
    )


def _consent(ctx):
    return Consent.objects.create(
        resident=ctx["resident"], purpose="story_publication", note=f"{NAME} agreed"
    )


def _mentor_profile(ctx):
    from mentors.models import MentorProfile

    return MentorProfile.objects.get_or_create(
        resident=ctx["resident"],
        defaults={"centre": ctx["centre"], "availability": f"{NAME}: evenings"},
    )[0]


def _pairing(ctx):
    """The resident as a mentee (of someone else)."""
    from mentors.models import MentorProfile, Pairing

    if "pairing" in ctx:
        return ctx["pairing"]
    other = ResidentFactory(centre=ctx["centre"], full_name="Senior Mentor Person")
    mentor = MentorProfile.objects.create(centre=ctx["centre"], resident=other)
    ctx["pairing"] = Pairing.objects.create(
        centre=ctx["centre"], mentor=mentor, mentee=ctx["resident"]
    )
    return ctx["pairing"]


def _contact_log(ctx):
    from mentors.models import ContactLog

    return ContactLog.objects.create(
        pairing=_pairing(ctx), method="call", mood=3, note=f"Called {NAME}"
    )


def _notification(ctx):
    from kendra.notify.models import Notification

    return Notification.objects.create(
        recipient_resident=ctx["resident"],
        centre=ctx["centre"],
        channel="sms",
        address=PHONE,
        kind="checkin",
        slot="everything",
        dedupe_key="everything",
        body=f"Namaste {NAME}",
    )


def _reminder_problem(ctx):
    from kendra.notify.models import ReminderProblem

    return ReminderProblem.objects.create(
        key="everything",
        centre=ctx["centre"],
        resident=ctx["resident"],
        kind="checkin",
        error=f"no phone for {NAME}",
        last_at=timezone.now(),
    )


def _recovery_plan(ctx):
    from recovery.models import RecoveryPlan

    return RecoveryPlan.objects.create(
        resident=ctx["resident"],
        centre=ctx["centre"],
        language="hi",
        triggers=f"{NAME} alone at night",
        what_helps="Walk",
        reasons="Family",
        people=[{"name": "Kamla Devi", "phone": "+919876500000", "who": "family"}],
        written_with=ctx["staff"],
        written_on=ctx["today"],
    )


def _erasure(ctx):
    from kendra.models import ErasureRequest

    return ErasureRequest.objects.create(
        resident=ctx["resident"],
        centre=ctx["centre"],
        reason="other",
        status="cancelled",
        note=f"{NAME} changed their mind",
        requested_by=ctx["staff"],
    )


def _stay(ctx):
    """The resident's stay (ResidentFactory makes one), with a note naming them."""
    stay = ctx["resident"].stays.first()
    stay.note = f"{NAME} came back from Kota"
    stay.referral_source = "family"
    stay.save()
    return stay


def _stage_change(ctx):
    from kendra.models import StageChange

    return StageChange.objects.create(stay=_stay(ctx), stage="residential", by=ctx["staff"])


MAKERS = {
    "kendra.ErasureRequest": _erasure,
    "kendra.Stay": _stay,
    "kendra.StageChange": _stage_change,
    "kendra.Resident": lambda ctx: ctx["resident"],
    "kendra.Consent": _consent,
    "kendra.AuditEvent": _audit,
    "notify.Notification": _notification,
    "notify.ReminderProblem": _reminder_problem,
    "alumni.AlumniProfile": _alumni,
    "alumni.FollowUp": _followup,
    "alumni.Relapse": _relapse,
    "alumni.SuccessStory": _story,
    "alumni.Visit_alumni": _visit,
    "checkins.CheckIn": _checkin,
    "checkins.Alert": _alert,
    "checkins.AlertEvent": _alert_event,
    "checkins.ReminderPlan": _reminder_plan,
    "checkins.CheckinLink": _checkin_link,
    "families.FamilyMember": _family_member,
    "families.FamilyGroup_residents": _family_group,
    "families.FamilyMeeting": _family_meeting,
    "families.Invitation": _invitation,
    "families.MeetingAnswer": _meeting_answer,
    "families.MeetingAttendance": _meeting_attendance,
    "groups.Attendance": _attendance,
    "groups.Addendum": _addendum,
    "groups.GroupMember": _group_member,
    "mentors.MentorProfile": _mentor_profile,
    "mentors.Pairing": _pairing,
    "mentors.ContactLog": _contact_log,
    "recovery.RecoveryPlan": _recovery_plan,
}


def everything(centre, staff=None, **resident_fields):
    """A resident with one row (at least) of every model in MAKERS; returns the context."""
    fields = {
        "full_name": NAME,
        "preferred_name": "Zoru",
        "phone": PHONE,
        "email": EMAIL,
        "discharge_note": f"{NAME} left well",
        **resident_fields,
    }
    resident = ResidentFactory(centre=centre, **fields)
    resident.full_name = NAME  # a second version in the history
    resident.save()
    staff = staff or member(Role.COUNSELOR, centre, username="everything-counselor")
    ctx = {"resident": resident, "centre": centre, "staff": staff, "today": timezone.localdate()}
    ctx["made"] = {label: make(ctx) for label, make in MAKERS.items()}
    return ctx
