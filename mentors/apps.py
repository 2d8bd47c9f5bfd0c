from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentors"
    verbose_name = _("Mentors")

    def ready(self):
        from kendra import navigation, panels, providers
        from kendra.models import Role
        from kendra.notify import sources as notify_sources

        from . import panels as mentor_panels
        from . import providers as mentor_providers
        from .sources import mentor_contact_overdue

        providers.active_mentor.register(mentor_providers.active_mentor)
        providers.mentee_ids.register(mentor_providers.mentee_ids)
        C, P, M, ADMIN = Role.COUNSELOR, Role.PEER_LEADER, Role.MENTOR, Role.CENTRE_ADMIN
        navigation.register(
            80, _("Unpaired residents"), "mentors:queue", {P}, _("Residents waiting for a mentor.")
        )
        navigation.register(
            90,
            _("Pairings"),
            "mentors:pairings",
            {P, C, ADMIN},
            _("Every mentor pairing, with history."),
        )
        navigation.register(
            100, _("My mentees"), "mentors:my_mentees", {M}, _("Your mentees and your contact log.")
        )

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
        from kendra.signals import consent_withdrawn

        from . import alumni_pairing

        consent_withdrawn.connect(
            alumni_pairing.on_consent_withdrawn, dispatch_uid="mentors.on_consent_withdrawn"
        )
