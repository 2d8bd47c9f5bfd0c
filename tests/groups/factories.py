import datetime as dt

import factory
from django.utils import timezone

from groups.models import GroupMember, Kind, PeerGroup, Session
from tests.factories import CentreFactory


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroup

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Therapy group {n}")
    kind = Kind.THERAPY
    format = "cbt"
    frequency = "weekly"
    weekdays = factory.LazyFunction(lambda: [0, 2, 4])
    start_time = dt.time(11, 0)
    duration_minutes = 60


def past_start(hours=2):
    return timezone.now().replace(microsecond=0) - dt.timedelta(hours=hours)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    group = factory.SubFactory(PeerGroupFactory)
    centre = factory.LazyAttribute(lambda s: s.group.centre)
    start = factory.LazyFunction(past_start)
    end = factory.LazyAttribute(lambda s: s.start + dt.timedelta(hours=1))
    facilitator = factory.LazyAttribute(lambda s: s.group.facilitator)


def join(group, *residents, on=None):
    on = on or timezone.localdate() - dt.timedelta(days=10)
    for r in residents:
        GroupMember.objects.create(group=group, resident=r, joined_on=on)
