from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    name = "alumni"
    verbose_name = _("Alumni")

    def ready(self):
        from kendra import panels
        from kendra.signals import resident_discharged

        from . import actions, views

        resident_discharged.connect(
            actions.on_resident_discharged, dispatch_uid="alumni.on_resident_discharged"
        )
        panels.home_panels.register("alumni/_home_panel.html", views.home_panel, order=40)
        panels.home_panels.register(
            "alumni/_mentor_milestones.html", views.mentor_milestones_panel, order=41
        )
