"""A family meeting that took place (staff), and a family member's answer to a meeting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access as family_access
from . import actions
from .forms import MeetingHeldForm
from .models import FamilyMeeting, MeetingAttendance


def _back(meeting):
    if meeting.group_id:
        return reverse("families:group_detail", args=[meeting.group_id])
    return reverse("families:resident_family", args=[meeting.resident_id])


@login_required
def meeting_held(request, pk):
    """Mark a meeting held, with the facilitator's note and who was present."""
    meeting = family_access.get_family_meeting(request.user, pk)
    try:
        actions.check_mark_held(meeting)
    except actions.MeetingRuleBroken as problem:
        messages.error(request, str(problem))
        return redirect(_back(meeting))
    members, residents = actions.meeting_people(meeting)
    present = MeetingAttendance.objects.filter(meeting=meeting)
    initial = {
        "note": meeting.held_note,
        "members": [a.member_id for a in present if a.member_id],
        "residents": [a.resident_id for a in present if a.resident_id],
    }
    form = MeetingHeldForm(
        request.POST or None, initial=initial, members=members, residents=residents
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.mark_meeting_held(
            meeting, data["note"], data["members"], data["residents"], request.user
        )
        messages.success(request, _("The meeting is marked held, with who came."))
        return redirect(_back(meeting))
    return render(
        request,
        "families/meeting_held.html",
        {"form": form, "meeting": meeting, "back": _back(meeting)},
    )


@login_required
@require_POST
def meeting_answer(request, pk):
    """A family member answers "we will come / we cannot come" and chooses a reminder."""
    try:
        actions.answer_meeting(
            request.user,
            pk,
            request.POST.get("answer", ""),
            request.POST.get("reminder", "sms"),
        )
    except FamilyMeeting.DoesNotExist:
        raise Http404 from None
    except actions.MeetingRuleBroken as problem:
        messages.error(request, _("Nothing was saved. %(why)s") % {"why": problem})
        return redirect("families:schedule")
    if request.POST.get("answer") == "coming":
        messages.success(request, _("Thank you. The centre knows you will come."))
    else:
        messages.success(request, _("Thank you. The centre knows you cannot come."))
    return redirect("families:schedule")
