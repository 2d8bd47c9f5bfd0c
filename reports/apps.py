from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from kendra import navigation, panels
        from kendra.models import Role

        from . import panels as report_panels

        navigation.register(
            170,
            _("Reports"),
            "reports:monthly",
            {Role.CENTRE_ADMIN, Role.COUNSELOR},
            _("Monthly centre report."),
        )

        panels.home_panels.register(
            "reports/_home_absences.html", report_panels.absent_twice, order=6
        )
        panels.home_panels.register(
            "reports/_home_centres.html", report_panels.centres_overview, order=1
        )
        panels.home_panels.register("reports/_home_admin.html", report_panels.centre_admin, order=2)
        panels.resident_panels.register(
            "reports/_resident_mood.html", report_panels.resident_mood, order=21
        )
