"""The iCalendar feed (RFC 5545): meeting title, time and place only — nothing else."""

import functools
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from kendra.discreet import name_in_messages

KOLKATA = "Asia/Kolkata"


@functools.cache
def _vtimezone_ical():
    """The VTIMEZONE block, built once per process: icalendar walks every transition of the
    zone to build it (about 60 % of the feed's time), and it never changes."""
    return Timezone.from_tzid(KOLKATA).to_ical()


def _vtimezone():
    return Timezone.from_ical(_vtimezone_ical())


def build(meetings, name="Kendra", visits=()):
    tz = ZoneInfo(KOLKATA)
    cal = Calendar()
    cal.add("prodid", "-//Kendra//Family schedule//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", KOLKATA)
    cal.add_component(_vtimezone())
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"{meeting.uid}@kendra")
        event.add("dtstamp", stamp)
        event.add("last-modified", meeting.updated_at)
        event.add("dtstart", meeting.starts_at.astimezone(tz))
        event.add("dtend", meeting.ends_at.astimezone(tz))
        event.add("summary", meeting.title)
        where = ", ".join(part for part in [meeting.place, meeting.online_link] if part)
        if where:
            event.add("location", where)
        if meeting.online_link:
            event.add("url", meeting.online_link)
        event.add("sequence", meeting.sequence)
        event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
        cal.add_component(event)
    for visit in visits:
        # Visiting days: title, time, the centre and the staff's note. Nothing else.
        event = Event()
        event.add("uid", visit.uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", visit.hours.updated_at)
        event.add("dtstart", visit.starts_at.astimezone(tz))
        event.add("dtend", visit.ends_at.astimezone(tz))
        place = name_in_messages(visit.centre)  # never the centre's full name
        event.add("summary", f"{visit.title}: {place}")
        event.add("location", place)
        if visit.note:
            event.add("description", visit.note)
        event.add("sequence", visit.hours.sequence)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
