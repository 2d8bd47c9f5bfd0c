import os

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kendra.settings")

app = Celery("kendra")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work, one entry per job. Tasks are named by their import path so this
# module imports no app.
app.conf.beat_schedule = {
    # Reminders: every source writes what is due to the outbox, then lost sends are re-queued.
    "notify-tick": {"task": "kendra.notify.tasks.tick", "schedule": 60.0},
    # Alerts nobody acknowledged go one step further (mentor → counselor on duty → every
    # counselor → centre admins); each step is claimed, so a doubled beat tells nobody twice.
    "checkins-escalate": {"task": "kendra.checkins.tasks.escalate_alerts", "schedule": 60.0},
    # Plan the next 14 days of group sessions; idempotent, so a missed or doubled run is harmless.
    "groups-generate-sessions": {
        "task": "groups.tasks.generate_sessions",
        "schedule": crontab(hour=2, minute=15),
    },
    # Family groups: regular meetings generated a few weeks ahead, once a day.
    "families-generate-meetings": {
        "task": "families.tasks.generate_meetings",
        "schedule": crontab(hour=2, minute=30),
    },
}


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _redact_tokens(logger, **kwargs):
    """Celery sets up its own log handlers: they redact tokens too (kendra/logredact.py)."""
    from .logredact import add_to_handlers

    add_to_handlers(logger)
