"""Pairing rules: bad input gets a clear message and nothing is saved."""

import datetime as dt

import pytest
from django.utils import timezone

from checkins.models import Alert
from kendra.models import AuditEvent, Resident
from kendra.notify.models import Notification
from mentors import actions
from mentors.models import Pairing
from tests.factories import ResidentFactory

from .conftest import make_mentor, make_pairing


def refused(mentor, mentee, by, message):
    before = Pairing.objects.count()
    with pytest.raises(actions.PairingError) as error:
        actions.assign_mentor(mentor.pk, mentee.pk, by)
    assert message in str(error.value)
    assert Pairing.objects.count() == before
    assert not Notification.objects.filter(kind="pairing_assigned").exists()


def test_it_assigns_and_notifies_the_mentor(mentor, mentee, peer_leader, mentor_user):
    pairing = actions.assign_mentor(mentor.pk, mentee.pk, peer_leader)
    assert pairing.is_active and pairing.assigned_by == peer_leader
    note = Notification.objects.get(kind="pairing_assigned")
    assert note.recipient_user == mentor_user
    assert note.slot == f"pairing-{pairing.pk}"
    assert "Naveen" in note.subject
    assert note.link == f"/mentors/pairings/{pairing.pk}/"
    assert AuditEvent.objects.filter(action="pairing.assigned", resident=mentee).exists()


def test_it_refuses_self_pairing(mentor, peer_leader):
    mentor.resident.admission_date = timezone.localdate()
    refused(mentor, mentor.resident, peer_leader, "cannot be their own mentor")


def test_it_refuses_a_mentor_who_is_not_taking_mentees(mentor, mentee, peer_leader):
    mentor.accepts_mentees = False
    mentor.save()
    refused(mentor, mentee, peer_leader, "is not taking new mentees")


def test_it_refuses_a_mentor_not_sober_long_enough(centre, mentee, peer_leader):
    junior = make_mentor(centre, days_sober=100, full_name="Junior Mentor")
    refused(junior, mentee, peer_leader, "needs 180 days sober to mentor (has 100)")


def test_it_follows_the_centres_minimum_days_sober(centre, mentee, peer_leader):
    centre.mentor_min_days_sober = 90
    centre.save()
    junior = make_mentor(centre, days_sober=100)
    assert actions.assign_mentor(junior.pk, mentee.pk, peer_leader).is_active


def test_it_refuses_a_mentor_with_an_open_alert(mentor, mentee, peer_leader, centre):
    Alert.objects.create(
        resident=mentor.resident, centre=centre, rule="low_mood", reason="Low mood", dedupe_key="x"
    )
    refused(mentor, mentee, peer_leader, "open early-warning alert")


def test_it_refuses_a_full_mentor(centre, mentee, peer_leader):
    full = make_mentor(centre, capacity=1)
    make_pairing(full, ResidentFactory(centre=centre))
    refused(full, mentee, peer_leader, "already has 1 mentees, the most they take")


def test_it_refuses_a_mentee_who_already_has_a_mentor(centre, pairing, peer_leader):
    other = make_mentor(centre)
    refused(other, pairing.mentee, peer_leader, "already has a mentor: Suresh Kumar")


def test_it_refuses_a_mentee_who_is_not_admitted(mentor, peer_leader, centre):
    gone = ResidentFactory(
        centre=centre,
        status=Resident.Status.DISCHARGED,
        discharge_date=timezone.localdate(),
        discharge_reason="completed",
    )
    refused(mentor, gone, peer_leader, "is not admitted now")


def test_it_refuses_a_mentor_from_another_centre(other_centre, mentee, peer_leader):
    far = make_mentor(other_centre)
    refused(far, mentee, peer_leader, "mentors at another centre")


def test_it_refuses_another_gender_under_the_same_gender_policy(centre, mentee, peer_leader):
    woman = make_mentor(centre, gender="female")
    refused(woman, mentee, peer_leader, "same gender only")
    centre.same_gender_mentoring = False
    centre.save()
    assert actions.assign_mentor(woman.pk, mentee.pk, peer_leader).is_active


def test_it_ends_a_pairing_once(pairing, peer_leader):
    actions.end_pairing(pairing, Pairing.EndReason.COMPLETED, peer_leader, "Done well")
    pairing.refresh_from_db()
    ended_at = pairing.ended_at
    assert pairing.end_reason == "completed" and pairing.end_note == "Done well"
    with pytest.raises(actions.PairingError, match="already ended"):
        actions.end_pairing(pairing, Pairing.EndReason.MENTEE_LEFT, peer_leader)
    pairing.refresh_from_db()
    assert pairing.ended_at == ended_at and pairing.end_reason == "completed"


def test_it_reassigns_in_one_step(centre, pairing, peer_leader):
    other = make_mentor(centre, full_name="Other Mentor")
    new = actions.reassign(pairing, other.pk, peer_leader, "Lives closer")
    pairing.refresh_from_db()
    assert pairing.end_reason == "reassigned" and pairing.end_note == "Lives closer"
    assert new.mentor == other and new.is_active


def test_a_failed_reassign_keeps_the_old_pairing(centre, pairing, peer_leader):
    full = make_mentor(centre, capacity=1)
    make_pairing(full, ResidentFactory(centre=centre))
    with pytest.raises(actions.PairingError, match="the most they take"):
        actions.reassign(pairing, full.pk, peer_leader)
    pairing.refresh_from_db()
    assert pairing.is_active


def test_suggestions_leave_out_ineligible_mentors(centre, mentor, mentee):
    make_mentor(centre, days_sober=30)
    make_mentor(centre, gender="female")
    closed = make_mentor(centre)
    closed.accepts_mentees = False
    closed.save()
    assert [s.mentor for s in actions.suggestions(mentee)] == [mentor]


def test_an_ended_pairing_lets_the_mentee_be_paired_again(pairing, peer_leader, centre):
    actions.end_pairing(pairing, Pairing.EndReason.MENTOR_STEPPED_BACK, peer_leader)
    other = make_mentor(centre)
    assert actions.assign_mentor(other.pk, pairing.mentee.pk, peer_leader).is_active
    assert Pairing.objects.filter(mentee=pairing.mentee).count() == 2


def test_it_counts_contacts_overdue_per_centre_setting(pairing, centre):
    now = timezone.now()
    Pairing.objects.filter(pk=pairing.pk).update(started_at=now - dt.timedelta(days=8))
    assert list(Pairing.objects.overdue(now)) == [pairing]
    centre.mentor_contact_overdue_days = 10
    centre.save()
    assert list(Pairing.objects.overdue(now)) == []
