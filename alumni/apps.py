from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    name = "alumni"
    verbose_name = _("Alumni")

    def ready(self):
        from celery.schedules import crontab

        from kendra import beat, navigation, panels
        from kendra.models import Role
        from kendra.notify import screen
        from kendra.signals import resident_discharged, resident_readmitted

        from . import actions
        from . import panels as alumni_panels

        resident_discharged.connect(
            actions.on_resident_discharged, dispatch_uid="alumni.on_resident_discharged"
        )
        from kendra.signals import consent_withdrawn

        from . import story_news

        consent_withdrawn.connect(
            story_news.on_consent_withdrawn, dispatch_uid="alumni.story_consent_withdrawn"
        )
        # The coordinators' morning: digest, overdue follow-ups, anniversary greetings.
        beat.register("alumni-morning", "alumni.tasks.morning", crontab(hour=8, minute=0))
        screen.daytime_only("anniversary", "story_news")
        resident_readmitted.connect(
            actions.on_resident_readmitted, dispatch_uid="alumni.on_resident_readmitted"
        )
        panels.home_panels.register("alumni/_home_panel.html", alumni_panels.home_panel, order=40)
        C, P, M, A, ADMIN = (
            Role.COUNSELOR,
            Role.PEER_LEADER,
            Role.MENTOR,
            Role.ALUMNI_COORDINATOR,
            Role.CENTRE_ADMIN,
        )
        navigation.register(
            110,
            _("Alumni"),
            "alumni:directory",
            {A, ADMIN},
            _("The alumni network and who to call."),
        )
        navigation.register(
            120, _("Visits"), "alumni:visits", {A}, _("Alumni visits: propose, confirm, record.")
        )
        navigation.register(
            130, _("Follow-ups"), "alumni:followups", {A}, _("Follow-ups due after discharge.")
        )
        navigation.register(
            140,
            _("Stories"),
            "alumni:published_stories",
            {C, P, M, A, ADMIN},
            _("Recovery stories alumni agreed to share."),
        )
        panels.home_panels.register(
            "alumni/_mentor_milestones.html", alumni_panels.mentor_milestones_panel, order=41
        )
