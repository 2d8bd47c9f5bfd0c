from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "checkins"
    label = "checkins"
    verbose_name = _("Check-ins and alerts")

    def ready(self):
        from kendra import panels
        from kendra.notify import sources

        from . import panels as checkin_panels
        from .reminders import write_due_checkin_reminders

        sources.register(write_due_checkin_reminders)
        panels.home_panels.register("checkins/_home_panel.html", checkin_panels.home, order=5)
        panels.resident_panels.register(
            "checkins/_resident_panel.html", checkin_panels.resident, order=20
        )
