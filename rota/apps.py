from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RotaConfig(AppConfig):
    name = "rota"
    verbose_name = _("On-duty rota")

    def ready(self):
        from kendra import navigation, panels, providers
        from kendra.models import Role
        from kendra.signals import membership_ended

        from . import actions
        from . import panels as rota_panels
        from . import providers as rota_providers

        providers.on_duty.register(rota_providers.on_duty)
        navigation.register(
            40,
            _("On-duty rota"),
            "rota:rota",
            {Role.COUNSELOR, Role.CENTRE_ADMIN},
            _("Who is the counselor on duty, day and night."),
        )

        panels.home_panels.register("rota/_home_panel.html", rota_panels.home, order=4)
        membership_ended.connect(actions.on_membership_ended, dispatch_uid="rota.membership_ended")
