"""Alumni who can mentor: offered among the candidates with the reason in words, paired
with a mentor profile and an invitation made for them, and their pairings ended when
they withdraw their consent to be contacted."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alumni import actions as alumni_actions
from alumni.models import AlumniProfile, add_months
from kendra.models import Resident
from mentors import actions, alumni_pairing
from mentors.models import MentorProfile, Pairing
from staff.models import StaffInvitation
from tests.factories import ResidentFactory


def make_alumnus_mentor(centre, months=14, can_mentor=True, consent=True, **fields):
    today = timezone.localdate()
    sober = add_months(today, -months) - dt.timedelta(days=2)
    resident = ResidentFactory(
        centre=centre,
        full_name=fields.pop("full_name", "Prakash Jadhav"),
        admission_date=sober - dt.timedelta(days=60),
        sobriety_date=sober,
        status=Resident.Status.DISCHARGED,
        discharge_reason=Resident.DischargeReason.COMPLETED,
        discharge_date=sober + dt.timedelta(days=30),
        languages=["mr"],
        phone=fields.pop("phone", "+919822000111"),
        **fields,
    )
    profile = alumni_actions.make_alumnus(resident)
    if consent:
        alumni_actions.record_consent(profile, AlumniProfile.Decision.OPTED_IN, None)
    profile.can_mentor = can_mentor
    profile.languages = ["mr"]
    profile.save()
    return profile


@pytest.fixture
def newcomer(centre):
    return ResidentFactory(centre=centre, full_name="Sagar Patil", languages=["mr"])


def test_an_alumnus_who_can_mentor_is_a_candidate_with_the_reason(centre, newcomer):
    profile = make_alumnus_mentor(centre)
    found = [s for s in actions.suggestions(newcomer) if getattr(s, "alumnus", None)]
    assert [s.alumnus for s in found] == [profile]
    assert found[0].reasons[0] == "Alumnus, 14 months sober, speaks Marathi"


@pytest.mark.parametrize(
    "why",
    ["cannot mentor", "no consent", "too few days sober", "already a mentor"],
)
def test_an_alumnus_is_not_offered(centre, newcomer, why):
    if why == "cannot mentor":
        make_alumnus_mentor(centre, can_mentor=False)
    elif why == "no consent":
        make_alumnus_mentor(centre, consent=False)
    elif why == "too few days sober":
        centre.mentor_min_days_sober = 500
        centre.save()
        make_alumnus_mentor(centre, months=14)
    else:
        profile = make_alumnus_mentor(centre)
        MentorProfile.objects.create(centre=centre, resident=profile.resident)
    assert not [s for s in actions.suggestions(newcomer) if getattr(s, "alumnus", None)]


def test_pairing_an_alumnus_makes_their_mentor_profile_and_the_invitation(
    client, centre, newcomer, peer_leader, no_broker
):
    profile = make_alumnus_mentor(centre)
    client.force_login(peer_leader)
    page = client.get(reverse("mentors:suggestions", args=[newcomer.pk])).content.decode()
    assert "Alumnus, 14 months sober, speaks Marathi" in page
    response = client.post(
        reverse("mentors:assign", args=[newcomer.pk]), {"alumnus": profile.pk}, follow=True
    )
    assert "invitation to sign in to Kendra as a mentor" in response.content.decode()
    pairing = Pairing.objects.active().get(mentee=newcomer)
    assert pairing.mentor.resident == profile.resident
    invitation = StaffInvitation.objects.get(role="mentor")
    assert invitation.phone == "+919822000111" and pairing.mentor.user == invitation.user
    # Pairing them again (another mentee) makes no second invitation.
    other = ResidentFactory(centre=centre, full_name="Amol Pawar")
    actions.assign_mentor(pairing.mentor.pk, other.pk, peer_leader)
    assert StaffInvitation.objects.count() == 1


def test_an_alumnus_who_cannot_mentor_is_refused_and_nothing_is_saved(
    client, centre, newcomer, peer_leader
):
    profile = make_alumnus_mentor(centre, can_mentor=False)
    client.force_login(peer_leader)
    response = client.post(
        reverse("mentors:assign", args=[newcomer.pk]), {"alumnus": profile.pk}, follow=True
    )
    assert "This alumnus cannot mentor now" in response.content.decode()
    assert not Pairing.objects.exists() and not MentorProfile.objects.exists()


def test_withdrawing_consent_ends_their_pairings_with_a_note(
    centre, newcomer, peer_leader, coordinator
):
    profile = make_alumnus_mentor(centre)
    pairing, _invitation = alumni_pairing.pair_alumnus(
        profile.pk, newcomer.pk, peer_leader, lambda token: f"https://x.example/{token}"
    )
    alumni_actions.record_consent(profile, AlumniProfile.Decision.OPTED_OUT, coordinator)
    pairing.refresh_from_db()
    assert pairing.ended_at is not None
    assert pairing.end_reason == Pairing.EndReason.MENTOR_STEPPED_BACK
    assert "withdrew their consent to be contacted" in pairing.end_note
