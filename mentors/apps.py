from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentors"
    verbose_name = _("Mentors")

    def ready(self):
        from kendra import panels
        from kendra.notify import sources as notify_sources

        from . import panels as mentor_panels
        from .sources import mentor_contact_overdue

        panels.resident_panels.register(
            "mentors/_resident_panel.html", mentor_panels.resident_panel, order=30
        )
        panels.home_panels.register(
            "mentors/_home_peer_leader.html", mentor_panels.peer_leader_panel, order=30
        )
        panels.home_panels.register(
            "mentors/_home_mentor.html", mentor_panels.mentor_panel, order=31
        )
        notify_sources.register(mentor_contact_overdue)

        from kendra.signals import membership_ended

        from . import actions

        membership_ended.connect(
            actions.on_membership_ended, dispatch_uid="mentors.on_membership_ended"
        )
