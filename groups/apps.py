from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Peer groups")

    def ready(self):
        from celery.schedules import crontab

        from kendra import beat, navigation, panels, providers
        from kendra.models import Role
        from kendra.signals import resident_discharged

        from . import actions
        from . import panels as group_panels
        from . import providers as group_providers

        providers.attendance_rates.register(group_providers.attendance_rates)
        # Plan the next 14 days of group sessions; idempotent, so a missed or doubled run is
        # harmless.
        beat.register(
            "groups-generate-sessions",
            "groups.tasks.generate_sessions",
            crontab(hour=2, minute=15),
        )
        C, P, ADMIN = Role.COUNSELOR, Role.PEER_LEADER, Role.CENTRE_ADMIN
        navigation.register(
            10,
            _("Today's sessions"),
            "groups:today",
            {C},
            _("Open and log today's group sessions."),
        )
        navigation.register(
            70,
            _("Groups"),
            "groups:list",
            {C, P, ADMIN},
            _("Sharing circles, therapy groups, activities."),
        )

        panels.resident_panels.register(
            "groups/_resident_panel.html", group_panels.resident_attendance, order=10
        )
        panels.home_panels.register(
            "groups/_home_panel.html", group_panels.todays_sessions, order=10
        )
        resident_discharged.connect(
            actions.leave_groups_on_discharge, dispatch_uid="groups.leave_on_discharge"
        )
