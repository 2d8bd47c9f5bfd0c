from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = _("Families")

    def ready(self):
        from celery.schedules import crontab

        from kendra import beat, navigation, panels
        from kendra.models import Role
        from kendra.notify import screen, sources

        from . import reminders, views

        sources.register(reminders.write_meeting_reminders)
        screen.daytime_only(reminders.KIND)  # written from midnight, sent after the night
        # Family groups: regular meetings generated a few weeks ahead, once a day.
        beat.register(
            "families-generate-meetings",
            "families.tasks.generate_meetings",
            crontab(hour=2, minute=30),
        )
        navigation.register(
            150,
            _("Family groups"),
            "families:groups",
            {Role.COUNSELOR, Role.CENTRE_ADMIN},
            _("Family support groups and meetings."),
        )
        navigation.register(
            160,
            _("My schedule"),
            "families:schedule",
            {Role.FAMILY_MEMBER},
            _("When and where your family meetings are."),
        )
        panels.home_panels.register("families/_home_panel.html", views.upcoming_for_home, order=10)
        panels.resident_panels.register(
            "families/_resident_panel.html", views.resident_panel, order=60
        )
        from kendra.signals import resident_erased

        from .actions import on_resident_erased

        resident_erased.connect(on_resident_erased, dispatch_uid="families.on_resident_erased")
