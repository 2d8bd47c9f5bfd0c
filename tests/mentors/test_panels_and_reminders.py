"""Home and resident panels, and the overdue-contact reminder source."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from kendra.notify import sources
from kendra.notify.models import Notification
from mentors.models import ContactLog, Pairing
from mentors.sources import mentor_contact_overdue
from tests.factories import ResidentFactory

from .conftest import make_mentor, make_pairing


def test_the_peer_leader_home_shows_the_queue_and_overdue_contacts(
    as_user, peer_leader, centre, pairing
):
    ResidentFactory(centre=centre, full_name="Waiting Resident")
    Pairing.objects.filter(pk=pairing.pk).update(started_at=timezone.now() - dt.timedelta(days=9))
    page = as_user(peer_leader).get(reverse("home")).text
    assert "1 resident waiting for a mentor" in page
    assert "Contacts overdue" in page and "Suresh Kumar → Naveen" in page


def test_the_mentor_home_lists_my_mentees(as_user, mentor_user, pairing):
    page = as_user(mentor_user).get(reverse("home")).text
    assert "My mentees" in page and "Naveen" in page


def test_the_family_home_shows_no_pairing(as_user, family_user, pairing):
    page = as_user(family_user).get(reverse("home")).text
    assert "Naveen" not in page and "Mentor pairings" not in page


def test_the_resident_page_shows_the_mentor_and_history(as_user, counselor, centre, pairing):
    earlier = make_mentor(centre, full_name="Earlier Mentor")
    Pairing.objects.filter(pk=pairing.pk).update(
        ended_at=timezone.now(), end_reason="mentor_stepped_back"
    )
    make_pairing(earlier, pairing.mentee)
    page = as_user(counselor).get(reverse("resident_detail", args=[pairing.mentee.pk])).text
    assert "Earlier Mentor, since" in page
    assert "Earlier mentors" in page and "Suresh Kumar" in page


def test_the_overdue_source_is_registered():
    assert mentor_contact_overdue in sources.all_sources()


def test_it_reminds_the_mentor_once_a_day_when_contact_is_overdue(pairing, mentor_user):
    # Mid-morning in Kolkata, so "an hour later" is the same day whenever the suite runs
    # (run from 23:00 IST, it crossed midnight: a new day, rightly a new reminder).
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    ContactLog.objects.create(pairing=pairing, at=start, method="call", mood=3)
    assert mentor_contact_overdue(start + dt.timedelta(days=6)) == 0
    later = start + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False):
        assert mentor_contact_overdue(later) == 1
        assert mentor_contact_overdue(later + dt.timedelta(hours=1)) == 0
    note = Notification.objects.get(kind="mentor_contact_overdue")
    assert note.recipient_user == mentor_user
    assert "Naveen" in note.body and "8 days" in note.body
    assert mentor_contact_overdue(later + dt.timedelta(days=1)) == 1


def test_it_does_not_remind_about_ended_pairings_or_mentors_without_login(centre, pairing):
    Pairing.objects.filter(pk=pairing.pk).update(
        ended_at=timezone.now(),
        end_reason="completed",
        started_at=timezone.now() - dt.timedelta(30),
    )
    no_login = make_mentor(centre)
    make_pairing(
        no_login, ResidentFactory(centre=centre), started_at=timezone.now() - dt.timedelta(30)
    )
    assert mentor_contact_overdue(timezone.now()) == 0
