from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RotaConfig(AppConfig):
    name = "rota"
    verbose_name = _("On-duty rota")

    def ready(self):
        from kendra import panels
        from kendra.signals import membership_ended

        from . import actions
        from . import panels as rota_panels

        panels.home_panels.register("rota/_home_panel.html", rota_panels.home, order=4)
        membership_ended.connect(actions.on_membership_ended, dispatch_uid="rota.membership_ended")
