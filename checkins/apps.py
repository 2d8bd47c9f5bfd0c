from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "checkins"
    label = "checkins"
    verbose_name = _("Check-ins and alerts")

    def ready(self):
        from celery.schedules import crontab

        from kendra import beat, navigation, panels, providers
        from kendra.models import Role
        from kendra.notify import fill, sources

        from . import panels as checkin_panels
        from . import providers as checkin_providers
        from .reminders import links_for_rows, write_due_checkin_reminders

        providers.reminder_plans.register(checkin_providers.reminder_plans)
        providers.quiet_until.register(checkin_providers.quiet_until)
        providers.plan_over.register(checkin_providers.plan_over)
        # Alerts nobody acknowledged go one step further (mentor → counselor on duty → every
        # counselor → centre admins); each step is claimed, so a doubled beat tells nobody
        # twice. The task keeps its name from before check-ins left kendra/ (tasks.py).
        beat.register("checkins-escalate", "kendra.checkins.tasks.escalate_alerts", 60.0)
        # Check-in links that no longer open anything are deleted (only hashes, daily).
        beat.register(
            "checkins-forget-old-links",
            "checkins.tasks.forget_old_links",
            crontab(hour=3, minute=40),
        )
        C, M, ADMIN = Role.COUNSELOR, Role.MENTOR, Role.CENTRE_ADMIN
        navigation.register(
            20, _("Check-in grid"), "checkins:grid", {C}, _("Morning check-in: one tap per face.")
        )
        navigation.register(
            30,
            _("Alerts"),
            "checkins:alerts",
            {C, M, ADMIN},
            _("Early warnings that need someone."),
        )

        sources.register(write_due_checkin_reminders)
        fill.register("checkin", links_for_rows)
        from kendra.signals import resident_admitted, resident_discharged

        from .actions import on_resident_admitted, on_resident_discharged

        resident_admitted.connect(on_resident_admitted, dispatch_uid="checkins.on_admitted")
        resident_discharged.connect(
            on_resident_discharged, dispatch_uid="checkins.on_resident_discharged"
        )
        panels.home_panels.register("checkins/_home_panel.html", checkin_panels.home, order=5)
        panels.resident_panels.register(
            "checkins/_resident_panel.html", checkin_panels.resident, order=20
        )
