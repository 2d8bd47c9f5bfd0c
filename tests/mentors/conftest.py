import datetime as dt

import pytest
from django.utils import timezone

from kendra.notify import outbox
from mentors.models import MentorProfile, Pairing
from tests.factories import ResidentFactory


def make_mentor(centre, user=None, days_sober=400, capacity=3, **resident_fields):
    today = timezone.localdate()
    person = ResidentFactory(
        centre=centre,
        admission_date=today - dt.timedelta(days=days_sober),
        sobriety_date=today - dt.timedelta(days=days_sober),
        **resident_fields,
    )
    return MentorProfile.objects.create(
        centre=centre, resident=person, user=user, capacity=capacity
    )


def make_pairing(mentor, mentee, **fields):
    return Pairing.objects.create(centre=mentor.centre, mentor=mentor, mentee=mentee, **fields)


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    handed = []
    monkeypatch.setattr(
        outbox, "queue_send", lambda pks, queue=None: handed.extend(pks) or list(pks)
    )
    return handed


@pytest.fixture
def mentor(centre, mentor_user):
    """The mentor_user's profile: a senior resident 400 days sober."""
    return make_mentor(centre, user=mentor_user, full_name="Suresh Kumar")


@pytest.fixture
def mentee(centre):
    return ResidentFactory(centre=centre, full_name="Naveen Chauhan")


@pytest.fixture
def pairing(mentor, mentee, peer_leader):
    return make_pairing(mentor, mentee, assigned_by=peer_leader)
