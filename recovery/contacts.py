"""The people a resident may put on their plan, from their real contacts: the mentor of
an active pairing, family members to whom the resident gave a consent that is in force,
and alumni of the centre who agreed to be contacted. Each comes with the number Kendra
holds for them; the plan keeps a copy when it is saved."""

from alumni.models import AlumniProfile
from families.models import FamilyMember
from kendra.models import Consent
from mentors.models import Pairing

ALUMNI_OFFERED = 200  # a select list, not a directory


def _mentors(resident):
    pairings = Pairing.objects.filter(mentee=resident, ended_at__isnull=True).select_related(
        "mentor__resident", "mentor__user__profile"
    )
    for pairing in pairings:
        # The name and number of their sign-in account when they have one: the help page
        # names the mentor it told by that account, and the SMS goes to that number.
        mentor, user = pairing.mentor, pairing.mentor.user
        profile = getattr(user, "profile", None) if user else None
        name = (user.get_full_name() if user else "") or mentor.resident.display_name
        phone = (profile.phone if profile else "") or mentor.resident.phone
        yield f"mentor:{mentor.pk}", name, phone, "mentor"


def _family(resident):
    consented = Consent.objects.filter(
        resident=resident, withdrawn_at__isnull=True, grantee__isnull=False
    ).values("grantee_id")
    links = FamilyMember.objects.filter(resident=resident, user_id__in=consented).select_related(
        "user"
    )
    for link in links.order_by("pk"):
        name = link.user.get_full_name() or link.user.username
        yield f"family:{link.pk}", name, link.phone, "family"


def _alumni(resident):
    alumni = (
        AlumniProfile.objects.filter(
            centre_id=resident.centre_id, consent_decision=AlumniProfile.Decision.OPTED_IN
        )
        .exclude(resident=resident)
        .exclude(phone="")
        .select_related("resident")
        .order_by("resident__full_name", "pk")[:ALUMNI_OFFERED]
    )
    for profile in alumni:
        yield f"alumnus:{profile.pk}", profile.resident.display_name, profile.phone, "alumnus"


def known(resident):
    """{key: {"name", "phone", "who"}} of the resident's real contacts, in order: mentor,
    family, alumni."""
    found = {}
    for source in (_mentors, _family, _alumni):
        for key, name, phone, who in source(resident):
            found[key] = {"name": name, "phone": phone, "who": who}
    return found
