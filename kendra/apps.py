from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KendraConfig(AppConfig):
    name = "kendra"
    verbose_name = _("Kendra")

    def ready(self):
        from . import privacy, receivers  # noqa: F401 - registers panels and audit receivers
