"""A meeting's online link on the family schedule: only from 30 minutes before the start
until its end; the day-before reminder and the calendar event carry it (no health data)."""

import datetime as dt

import time_machine
from django.urls import reverse

from .conftest import make_meeting

LINK = "https://meet.example.in/abc-defg"


def test_families_see_the_link_only_from_30_minutes_before_until_the_end(
    as_user, family_user, family
):
    meeting = make_meeting(group=family, days=1, hour=18, online_link=LINK)
    start = meeting.starts_at
    client = as_user(family_user)
    schedule = reverse("families:schedule")
    for moment, shown in (
        (start - dt.timedelta(hours=3), False),
        (start - dt.timedelta(minutes=31), False),
        (start - dt.timedelta(minutes=30), True),
        (start + dt.timedelta(minutes=45), True),
        (meeting.ends_at + dt.timedelta(minutes=1), False),
    ):
        with time_machine.travel(moment, tick=False):
            page = client.get(schedule).text
        assert (LINK in page) is shown, moment
        if not shown and moment < start:
            assert "the link shows here from 30 minutes before the start" in page
