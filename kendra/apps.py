from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KendraConfig(AppConfig):
    name = "kendra"
    verbose_name = _("Kendra")

    def ready(self):
        # Registers panels, audit receivers and system checks (kendra/checks.py).
        from celery.schedules import crontab
        from django.db.models.signals import pre_save

        from . import beat, checks, navigation, privacy, receivers  # noqa: F401
        from .models import Role
        from .stays import fill_stay_before_save

        # Rows that belong to a stay get the resident's stay of their day when saved.
        pre_save.connect(fill_stay_before_save, dispatch_uid="kendra.fill_stay")

        beat.register(
            "kendra-forget-old-uploads",
            "kendra.tasks.forget_old_uploads",
            crontab(hour=3, minute=0),
        )

        C, ADMIN = Role.COUNSELOR, Role.CENTRE_ADMIN
        navigation.register(
            50,
            _("Residents"),
            "resident_list",
            {C, ADMIN},
            _("Admit, find, update and discharge residents."),
        )
        navigation.register(
            60,
            _("Import residents"),
            "import_upload",
            {ADMIN},
            _("Bring in the register from a spreadsheet."),
        )
        navigation.register(
            180, _("Audit log"), "audit_log", {ADMIN}, _("Who saw or changed what.")
        )
        navigation.register(
            185,
            _("Erasures"),
            "erasure_list",
            {ADMIN},
            _("Erase a discharged person, confirmed by a second admin."),
        )
