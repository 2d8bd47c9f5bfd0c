from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    default = True
    name = "staff"
    verbose_name = _("Staff and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from kendra import navigation
        from kendra.models import Role
        from kendra.signals import membership_ended

        from . import receivers

        navigation.register(
            190,
            _("Staff and settings"),
            "staff:home",
            {Role.CENTRE_ADMIN},
            _("Invite staff, give roles, deactivate; the centre's settings."),
        )
        user_logged_in.connect(receivers.remember_sign_in, dispatch_uid="staff.sign_in")
        user_logged_out.connect(receivers.forget_sign_in, dispatch_uid="staff.sign_out")
        membership_ended.connect(receivers.on_membership_ended, dispatch_uid="staff.ended")
