from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = _("Relapse-prevention plans")

    def ready(self):
        from kendra import panels, providers

        from . import panels as recovery_panels
        from . import providers as recovery_providers

        providers.recovery_plan.register(recovery_providers.recovery_plan)
        providers.has_discharge_plan.register(recovery_providers.has_discharge_plan)
        panels.resident_panels.register(
            "recovery/_resident_panel.html", recovery_panels.resident, order=25
        )
