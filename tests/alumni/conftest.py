import datetime as dt

import pytest
from django.utils import timezone

from alumni import actions
from alumni.models import AlumniProfile, Visit
from kendra.models import Resident
from tests.factories import ResidentFactory


def make_alumnus(centre, by=None, days_ago=40, consent=True, available=True, **kwargs):
    today = timezone.localdate()
    discharged = today - dt.timedelta(days=days_ago)
    resident = ResidentFactory(
        centre=centre,
        admission_date=discharged - dt.timedelta(days=80),
        status=Resident.Status.DISCHARGED,
        discharge_reason=Resident.DischargeReason.COMPLETED,
        discharge_date=discharged,
        **kwargs,
    )
    profile = actions.make_alumnus(resident, by)
    if consent:
        actions.record_consent(profile, AlumniProfile.Decision.OPTED_IN, by)
        profile.available_for_visits = available
        profile.phone = "+919829000111"
        profile.save()
    return profile


def make_visit(centre, alumni, days=3, hour=11, status=Visit.Status.PROPOSED, **kwargs):
    day = timezone.localdate() + dt.timedelta(days=days)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    visit = Visit.objects.create(
        centre=centre,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        purpose=Visit.Purpose.SHARE_STORY,
        status=status,
        **kwargs,
    )
    visit.alumni.set(alumni)
    return visit


@pytest.fixture
def alumnus(centre, coordinator):
    return make_alumnus(centre, coordinator, full_name="Deepak Saini")


@pytest.fixture
def visit(centre, alumnus):
    return make_visit(centre, [alumnus])
