"""Reminder sources: functions the beat tick calls to write due reminders to the outbox.

An app registers in its AppConfig.ready():

    from kendra.notify import sources
    sources.register(write_meeting_reminders)

A source takes `now` (aware datetime), calls kendra.notify.outbox.enqueue() for what is
due, and must be safe to run twice for the same slot (the dedupe key makes it so).
"""

_sources = []


def register(func):
    if func not in _sources:
        _sources.append(func)
    return func


def all_sources():
    return list(_sources)
