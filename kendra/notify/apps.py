from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "kendra.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self):
        from kendra import beat, panels

        from . import outbox, tasks
        from . import panels as notify_panels

        panels.home_panels.register("notify/_home_panel.html", notify_panels.home, order=3)
        outbox.use_send_task(tasks.send_notifications)
        # Reminders: every source writes what is due to the outbox, then lost sends are
        # re-queued.
        beat.register("notify-tick", "kendra.notify.tasks.tick", 60.0)
