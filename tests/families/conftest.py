import datetime as dt

import pytest
from django.utils import timezone

from families.models import FamilyGroup, FamilyMeeting, FamilyMember
from kendra.models import Consent, Profile, Role
from tests.factories import ConsentFactory, ResidentFactory, member


def at(days, hour=10, minute=30):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_meeting(group=None, resident=None, days=3, hour=10, **kwargs):
    centre = (group or resident).centre
    return FamilyMeeting.objects.create(
        centre=centre,
        group=group,
        resident=resident,
        starts_at=at(days, hour),
        ends_at=at(days, hour + 1),
        place=kwargs.pop("place", "Hall 2"),
        **kwargs,
    )


def link_family(user, resident, consent=True):
    FamilyMember.objects.create(user=user, resident=resident, relationship="parent")
    Profile.objects.get_or_create(user=user)
    if consent:
        ConsentFactory(resident=resident, grantee=user, purpose=Consent.Purpose.FAMILY_SCHEDULE)


@pytest.fixture
def family(centre, resident, family_user):
    """Kamla, mother of Rahul, with consent; a group with Rahul's family invited."""
    link_family(family_user, resident)
    group = FamilyGroup.objects.create(centre=centre, name="Saturday parents' circle")
    group.residents.add(resident)
    return group


@pytest.fixture
def other_family(centre):
    """Another family of the same centre: their group, session and father."""
    other = ResidentFactory(centre=centre, full_name="Imran Khan")
    father = member(Role.FAMILY_MEMBER, centre, username="salim")
    link_family(father, other)
    group = FamilyGroup.objects.create(centre=centre, name="Wednesday spouses' group")
    group.residents.add(other)
    return {"resident": other, "user": father, "group": group}


@pytest.fixture
def foreign(other_centre):
    """A whole family world in another centre."""
    resident = ResidentFactory(centre=other_centre, full_name="Farhan Ali")
    user = member(Role.FAMILY_MEMBER, other_centre, username="nasreen")
    link_family(user, resident)
    group = FamilyGroup.objects.create(centre=other_centre, name="Lucknow family circle")
    group.residents.add(resident)
    meeting = make_meeting(group=group, topic="Lucknow topic")
    return {"resident": resident, "user": user, "group": group, "meeting": meeting}
