"""Periodic work: the beat's schedule, one entry per job, added by the app that owns it.

An app registers in its AppConfig.ready():

    from kendra import beat
    beat.register("groups-generate-sessions", "groups.tasks.generate_sessions",
                  crontab(hour=2, minute=15))

kendra/celery.py hands SCHEDULE itself to Celery as `beat_schedule`. The beat (and a
worker run with -B) sets Django up before it reads the schedule, so every app's entries
are in it by then. Tasks are named by their registered name, so no task module is
imported to build the schedule.
"""

SCHEDULE = {}


def register(name, task, schedule, **options):
    """Add (or replace) the entry `name`: run task `task` on `schedule` (seconds or a
    crontab); `options` go to the entry as Celery reads them (args, kwargs, options)."""
    SCHEDULE[name] = {"task": task, "schedule": schedule, **options}
    return SCHEDULE[name]
