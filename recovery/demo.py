"""Demo relapse-prevention plans: every mentee of an active pairing has one, written in
Hindi with a counselor of their centre, so the mentor, the counselor, the card and the
personal check-in link all have a plan to show."""

from django.utils import timezone

from kendra.models import Membership, Role
from mentors.models import Pairing

from . import contacts
from .models import RecoveryPlan

TRIGGERS = "शाम को अकेले रहना\nपुराने दोस्तों से मिलना\nतनख़्वाह का दिन"
SIGNS = "नींद न आना\nग़ुस्सा जल्दी आना\nग्रुप मीटिंग छोड़ना"
HELPS = "मेंटर को फ़ोन करना\nदस मिनट टहलना\nपानी पीना और गहरी साँस लेना"
REASONS = "मेरी बेटी\nअपना काम फिर से शुरू करना"


def seed(ctx):
    for centre in ctx.centres:
        counselor = (
            Membership.objects.filter(centre=centre, role=Role.COUNSELOR, is_active=True)
            .order_by("pk")
            .first()
        )
        if counselor is None:
            continue
        mentees = {
            p.mentee
            for p in Pairing.objects.filter(centre=centre, ended_at__isnull=True).select_related(
                "mentee"
            )
        }
        for resident in sorted(mentees, key=lambda r: r.pk):
            people = list(contacts.known(resident).values())[:2]
            people.append({"name": "दीदी", "phone": "+919800011122", "who": "other"})
            RecoveryPlan.objects.get_or_create(
                resident=resident,
                defaults={
                    "centre": centre,
                    "language": "hi",
                    "triggers": TRIGGERS,
                    "warning_signs": SIGNS,
                    "what_helps": HELPS,
                    "reasons": REASONS,
                    "people": people,
                    "written_with": counselor.user,
                    "written_on": timezone.localdate(),
                },
            )
