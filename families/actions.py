"""State changes for families, each with an audit record. Views stay thin."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kendra import audit
from kendra.discreet import name_in_messages
from kendra.models import Consent, Membership, Profile, Role, new_token
from kendra.notify import outbox, templates
from kendra.notify.models import Notification

from . import access as family_access
from .models import (
    CalendarFeed,
    FamilyMeeting,
    FamilyMember,
    Invitation,
    MeetingAnswer,
    MeetingAttendance,
)

GENERATE_WEEKS = 6


class InvitationError(ValueError):
    """The link cannot be used: expired, already used, or unknown."""


def save_group(form, by):
    created = form.instance.pk is None
    group = form.save()
    audit.record(by, "family_group.created" if created else "family_group.changed", group)
    if created:
        generate_meetings(group)
    return group


def generate_meetings(group, today=None, weeks=GENERATE_WEEKS):
    """Make the group's regular meetings for the weeks ahead. Safe to run again."""
    if not group.is_active or group.weekday is None or group.start_time is None:
        return 0
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    day = today + dt.timedelta(days=(group.weekday - today.weekday()) % 7)
    made = 0
    while day <= today + dt.timedelta(weeks=weeks):
        starts = timezone.make_aware(dt.datetime.combine(day, group.start_time), tz)
        if FamilyMeeting.objects.filter(group=group, scheduled_for=day).exists():
            day += dt.timedelta(days=7)
            continue
        try:
            with transaction.atomic():
                FamilyMeeting.objects.create(
                    centre_id=group.centre_id,
                    group=group,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=group.duration_minutes or 60),
                    place=group.place,
                    online_link=group.online_link,
                    scheduled_for=day,
                )
                made += 1
        except IntegrityError:
            pass  # a twin run made it first
        day += dt.timedelta(days=7)
    return made


def add_meeting(form, by, *, group=None, resident=None):
    meeting = form.save(commit=False)
    meeting.group = group
    meeting.resident = resident
    meeting.centre_id = (group or resident).centre_id
    meeting.starts_at = form.cleaned_data["starts_at"]
    meeting.ends_at = form.cleaned_data["ends_at"]
    meeting.save()
    audit.record(by, "family_meeting.created", meeting, resident=resident)
    return meeting


def change_meeting(form, by):
    """Edit a meeting. A new time or place marks it moved and bumps SEQUENCE (RFC 5545)."""
    meeting = FamilyMeeting.objects.select_for_update().get(pk=form.instance.pk)
    new_start, new_end = form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]
    changed_time = (new_start, new_end) != (meeting.starts_at, meeting.ends_at)
    changed_place = (form.cleaned_data["place"], form.cleaned_data["online_link"]) != (
        meeting.place,
        meeting.online_link,
    )
    if changed_time and meeting.moved_from is None:
        meeting.moved_from = meeting.starts_at
    meeting.starts_at, meeting.ends_at = new_start, new_end
    meeting.topic = form.cleaned_data["topic"]
    meeting.place = form.cleaned_data["place"]
    meeting.online_link = form.cleaned_data["online_link"]
    if changed_place:
        meeting.place_changed = True
    meeting.sequence += 1
    meeting.save()
    audit.record(by, "family_meeting.changed", meeting, resident=meeting.resident)
    return meeting


def cancel_meeting(meeting, reason, by):
    meeting.status = FamilyMeeting.Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    # The reason stays on the meeting (erased with the person); the audit trail, which
    # cannot be rewritten, keeps no free text about a resident (kendra/erasure.py).
    audit.record(by, "family_meeting.cancelled", meeting, resident=meeting.resident)
    return meeting


# --- invitations ----------------------------------------------------------------------


def invite(form, resident, by, accept_url):
    """Write the invitation and put its link in the outbox. Returns (invitation, token)."""
    token = new_token()
    invitation = form.save(commit=False)
    invitation.resident = resident
    invitation.created_by = by
    invitation.token_hash = Invitation.hash(token)
    invitation.created_at = timezone.now()
    invitation.expires_at = invitation.created_at + Invitation.LIFETIME
    invitation.save()
    link = accept_url(token)
    _send_invitation(invitation, link)
    audit.record(by, "family.invited", invitation, centre=resident.centre, resident=resident)
    return invitation, token


def _send_invitation(invitation, link):
    """The outbox row for someone who has no account yet (enqueue() needs a user or
    resident), written the same way: one row, a dedupe key, sent after commit."""
    channel = invitation.channel
    address = invitation.phone if channel == Invitation.Channel.SMS else invitation.email
    language = invitation.resident.preferred_language or "hi"
    centre = invitation.resident.centre
    context = {"invitation": invitation, "link": link, "name_in_messages": name_in_messages(centre)}
    subject, body, html = outbox.render("family_invitation", context, language)
    registered = templates.row_fields("family_invitation", channel, context, language, body)
    row = Notification.objects.create(
        centre=invitation.resident.centre,
        channel=channel,
        address=address,
        kind="family_invitation",
        slot=f"invitation-{invitation.pk}",
        dedupe_key=f"i{invitation.pk}:{channel}:family_invitation:invitation-{invitation.pk}",
        language=language,
        subject=subject,
        body_html=html,
        link=link,
        queued_at=timezone.now(),
        **registered,
    )
    if row.status == Notification.Status.QUEUED:
        transaction.on_commit(lambda: outbox.queue_send([row.pk]))
    return row


def find_invitation(token, now=None):
    """The invitation for `token`, or InvitationError with a reason a person understands."""
    invitation = (
        Invitation.objects.select_related("resident__centre")
        .filter(token_hash=Invitation.hash(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationError("unknown")
    if invitation.is_used:
        raise InvitationError("used")
    if invitation.is_expired(now):
        raise InvitationError("expired")
    return invitation


def accept_invitation(token, form):
    """Create the account, the link, the membership and the consent — once."""
    with transaction.atomic():
        invitation = find_invitation(token)
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            raise InvitationError("used")
        resident = invitation.resident
        first, _, last = invitation.name.partition(" ")
        user = get_user_model().objects.create_user(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            first_name=first[:150],
            last_name=last[:150],
            email=invitation.email,
        )
        Profile.objects.update_or_create(
            user=user,
            defaults={"phone": invitation.phone, "language": translation.get_language() or "hi"},
        )
        Membership.objects.get_or_create(user=user, centre=resident.centre, role=Role.FAMILY_MEMBER)
        FamilyMember.objects.create(
            user=user,
            resident=resident,
            relationship=invitation.relationship,
            phone=invitation.phone,
        )
        Consent.objects.create(
            resident=resident,
            purpose=Consent.Purpose.FAMILY_SCHEDULE,
            grantee=user,
            grantee_description=f"{invitation.name} ({invitation.get_relationship_display()})",
            given_by=invitation.created_by,
            note="Invitation accepted",
        )
        Invitation.objects.filter(pk=invitation.pk).update(used_by=user)
        audit.record(
            user,
            "family.invitation_accepted",
            invitation,
            centre=resident.centre,
            resident=resident,
        )
    return user


def revoke_access(link, by):
    """Withdraw the resident's consent for this person. Takes effect on their next request."""
    consents = Consent.objects.filter(
        resident=link.resident,
        grantee=link.user,
        purpose=Consent.Purpose.FAMILY_SCHEDULE,
        withdrawn_at__isnull=True,
    )
    for consent in consents:
        consent.withdraw(by)
    audit.record(
        by, "family.access_revoked", link, centre=link.resident.centre, resident=link.resident
    )
    return len(consents)


def has_access(link):
    return link.resident_id in family_access.family_resident_ids(link.user)


# --- the calendar feed ----------------------------------------------------------------


def calendar_feed(user):
    """The person's calendar subscription, or None before they made a link."""
    return CalendarFeed.objects.filter(user=user).first()


@transaction.atomic
def new_calendar_link(user):
    """Make the person's calendar link, or a new one (the old link stops working at once).
    Returns the plain token: only its hash is stored, so it is shown this once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    renewed = feed is not None
    token = (feed or CalendarFeed(user=user)).reset()
    feed = CalendarFeed.objects.get(user=user)
    audit.record(user, "family.calendar_reset" if renewed else "family.calendar_made", feed)
    return token


def find_feed(token):
    """The subscription of a plain feed `token`, its user loaded, or None."""
    return (
        CalendarFeed.objects.filter(token_hash=CalendarFeed.hash(token or ""))
        .select_related("user")
        .first()
    )


# --- visiting hours -------------------------------------------------------------------


def save_visiting_hours(form, by):
    """Create or change visiting hours. A change bumps SEQUENCE for calendar feeds."""
    created = form.instance.pk is None
    hours = form.save(commit=False)
    if not created:
        hours.sequence += 1
    hours.save()
    audit.record(by, "visiting_hours.created" if created else "visiting_hours.changed", hours)
    return hours


def set_visiting_hours_active(hours, active, by):
    """Deactivate (or bring back) visiting hours. Never deleted: the row stays."""
    hours.is_active = active
    hours.sequence += 1
    hours.save(update_fields=["is_active", "sequence", "updated_at"])
    audit.record(
        by, "visiting_hours.reactivated" if active else "visiting_hours.deactivated", hours
    )
    return hours


def on_resident_erased(sender, resident, by, **kwargs):
    """A person was erased: the calendar feeds of family accounts linked to them and to
    nobody else are deleted (their token hashes go; the schedule had only this person)."""
    linked = FamilyMember.objects.filter(resident=resident).values("user_id")
    elsewhere = FamilyMember.objects.exclude(resident=resident).values("user_id")
    CalendarFeed.objects.filter(user_id__in=linked).exclude(user_id__in=elsewhere).delete()


# --- meetings held, attendance and answers ----------------------------------------------


class MeetingRuleBroken(ValueError):
    """A change the rules do not allow; str(error) is the message to show."""


def meeting_people(meeting):
    """(family members, residents) who may be marked present at `meeting`: the families
    of the residents it is for (the group's residents, or the family session's one)."""
    from kendra.models import Resident

    if meeting.group_id:
        resident_ids = list(meeting.group.residents.values_list("pk", flat=True))
    else:
        resident_ids = [meeting.resident_id]
    members = (
        FamilyMember.objects.filter(resident_id__in=resident_ids)
        .select_related("user", "resident")
        .order_by("resident__full_name", "pk")
    )
    residents = Resident.objects.filter(pk__in=resident_ids).order_by("full_name", "pk")
    return list(members), list(residents)


def check_mark_held(meeting, now=None):
    if meeting.is_cancelled:
        raise MeetingRuleBroken(_("This meeting is cancelled, so it cannot be marked held."))
    if meeting.starts_at > (now or timezone.now()):
        raise MeetingRuleBroken(
            _("This meeting has not started yet. Mark it held once it has taken place.")
        )


@transaction.atomic
def mark_meeting_held(meeting, note, member_ids, resident_ids, by):
    """The meeting took place: the facilitator's note and who was present (family members
    and residents of this meeting only). Marking again replaces the list of who came."""
    current = FamilyMeeting.objects.select_for_update().get(pk=meeting.pk)
    check_mark_held(current)
    members, residents = meeting_people(current)
    allowed_members = {m.pk for m in members}
    allowed_residents = {r.pk for r in residents}
    member_ids = {int(pk) for pk in member_ids} & allowed_members
    resident_ids = {int(pk) for pk in resident_ids} & allowed_residents
    current.status = FamilyMeeting.Status.HELD
    current.held_note = (note or "").strip()
    current.held_at, current.held_by = timezone.now(), by
    current.save(update_fields=["status", "held_note", "held_at", "held_by", "updated_at"])
    MeetingAttendance.objects.filter(meeting=current).delete()
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=current, member_id=pk) for pk in sorted(member_ids)]
        + [MeetingAttendance(meeting=current, resident_id=pk) for pk in sorted(resident_ids)]
    )
    audit.record(
        by,
        "family_meeting.held",
        current,
        resident=current.resident,
        detail=f"{len(member_ids)} family, {len(resident_ids)} residents",
    )
    return current


def _answer_problem(meeting, now):
    if meeting.is_cancelled:
        return _("This meeting is cancelled, so there is nothing to answer.")
    if meeting.starts_at <= now:
        return _("This meeting has already started or is over, so it can no longer be answered.")
    return None


@transaction.atomic
def answer_meeting(user, meeting_pk, answer, reminder):
    """A family member says whether they will come, and whether (and how) they want a
    reminder the day before. Only for a meeting they may see, still to come."""
    ids = family_access.family_resident_ids(user)
    meeting = family_access.family_meetings(user, ids).filter(pk=meeting_pk).first()
    if meeting is None:
        raise FamilyMeeting.DoesNotExist
    problem = _answer_problem(meeting, timezone.now())
    if problem:
        raise MeetingRuleBroken(problem)
    if answer not in MeetingAnswer.Answer.values or reminder not in MeetingAnswer.Reminder.values:
        raise MeetingRuleBroken(_("Choose whether you will come, and whether to be reminded."))
    if meeting.group_id:
        invited = meeting.group.residents.filter(pk__in=ids).values("pk")
        link = FamilyMember.objects.filter(user=user, resident__in=invited).order_by("pk").first()
    else:
        link = FamilyMember.objects.filter(user=user, resident_id=meeting.resident_id).first()
    row, _created = MeetingAnswer.objects.update_or_create(
        meeting=meeting,
        member=link,
        defaults={"answer": answer, "reminder": reminder, "answered_at": timezone.now()},
    )
    audit.record(user, "family_meeting.answered", meeting, detail=answer)
    return row


def attach_answers(user, meetings):
    """Each meeting gets `my_answer` (this user's MeetingAnswer or None): one query."""
    meetings = list(meetings)
    answers = {
        a.meeting_id: a
        for a in MeetingAnswer.objects.filter(
            member__user=user, meeting_id__in=[m.pk for m in meetings]
        )
    }
    for meeting in meetings:
        meeting.my_answer = answers.get(meeting.pk)
    return meetings
