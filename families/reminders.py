"""The day-before reminder: one outbox row per (family member, meeting)."""

import datetime as dt
import logging

from django.utils import timezone

from kendra.models import Consent
from kendra.notify import outbox

from . import access as family_access
from .models import FamilyGroup, FamilyMeeting, MeetingAnswer

log = logging.getLogger(__name__)
KIND = "family_meeting_tomorrow"


def write_meeting_reminders(now):
    """Source for the beat tick: tomorrow's planned meetings, to every family member who
    may see them today. The slot is the meeting, so a tick running twice writes nothing."""
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    meetings = (
        FamilyMeeting.objects.filter(status=FamilyMeeting.Status.PLANNED, starts_at__date=tomorrow)
        .select_related("group", "centre")
        .order_by("pk")
    )
    written = 0
    for meeting in meetings:
        if meeting.group_id:
            resident_ids = FamilyGroup.residents.through.objects.filter(
                familygroup_id=meeting.group_id
            ).values("resident_id")
        else:
            resident_ids = [meeting.resident_id]
        consents = (
            Consent.objects.filter(
                resident_id__in=resident_ids,
                purpose=Consent.Purpose.FAMILY_SCHEDULE,
                withdrawn_at__isnull=True,
                grantee__family_links__resident_id__in=resident_ids,
            )
            .select_related("grantee__profile")
            .order_by("grantee_id")
        )
        seen = set()
        choices = _reminder_choices(meeting)
        for consent in consents:
            user = consent.grantee
            if user.pk in seen or meeting.pk not in _visible(user, meeting):
                continue
            seen.add(user.pk)
            choice = choices.get(user.pk)
            if choice == MeetingAnswer.Reminder.NONE:
                continue  # they asked for no reminder, or said they cannot come
            try:
                row = outbox.enqueue(
                    KIND,
                    slot=f"family-meeting-{meeting.pk}-{tomorrow}",
                    user=user,
                    channel=choice or _channel(user),
                    centre=meeting.centre,
                    context={"meeting": meeting},
                    expires_at=meeting.starts_at,  # never a reminder of a meeting begun
                )
            except outbox.RecipientError as exc:
                log.info("no reminder for %s: %s", user, exc)
                continue
            written += row is not None
    return written


def _reminder_choices(meeting):
    """{user id: channel} from the family's answers: "none" when they asked for no
    reminder or said they cannot come; users who did not answer are not in it."""
    return {
        user_id: MeetingAnswer.Reminder.NONE
        if answer == MeetingAnswer.Answer.NOT_COMING
        else reminder
        for user_id, answer, reminder in MeetingAnswer.objects.filter(meeting=meeting)
        .order_by("answered_at")
        .values_list("member__user_id", "answer", "reminder")
    }


def _visible(user, meeting):
    """Double-check through access.py: the reminder says no more than the schedule does."""
    return set(
        family_access.family_meetings(user).filter(pk=meeting.pk).values_list("pk", flat=True)
    )


def _channel(user):
    """Families are reached on the phone they carry; in Kendra when there is no number."""
    profile = getattr(user, "profile", None)
    return "sms" if getattr(profile, "phone", "") else "in_app"
