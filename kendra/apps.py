from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KendraConfig(AppConfig):
    name = "kendra"
    verbose_name = _("Kendra")

    def ready(self):
        # Registers panels, audit receivers and system checks (kendra/checks.py).
        from . import checks, privacy, receivers  # noqa: F401
