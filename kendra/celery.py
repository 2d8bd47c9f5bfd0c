import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kendra.settings")

app = Celery("kendra")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work, one entry per job. Tasks are named by their import path so this
# module imports no app.
app.conf.beat_schedule = {
    # Reminders: every source writes what is due to the outbox, then lost sends are re-queued.
    "notify-tick": {"task": "kendra.notify.tasks.tick", "schedule": 60.0},
    # Family groups: regular meetings generated a few weeks ahead, once a day.
    "families-generate-meetings": {
        "task": "families.tasks.generate_meetings",
        "schedule": 24 * 3600.0,
    },
}
