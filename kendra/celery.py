import os

from celery import Celery, signals

from kendra import beat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kendra.settings")

app = Celery("kendra")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work: each app adds its entries in its AppConfig.ready() (kendra/beat.py). The
# dict is handed over itself, so what the apps register once Django is set up (before the
# beat reads it) is in it.
app.conf.beat_schedule = beat.SCHEDULE


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _redact_tokens(logger, **kwargs):
    """Celery sets up its own log handlers: they redact tokens too (kendra/logredact.py)."""
    from .logredact import add_to_handlers

    add_to_handlers(logger)
