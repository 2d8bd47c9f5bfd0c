"""Alumni who can mentor: an alumnus marked "can mentor", with their "be contacted as an
alumnus" consent in force and past the centre's minimum days sober, is offered among the
mentor candidates with the reason in words (pairing them: alumni_pairing.py)."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from alumni.models import AlumniProfile, contact_consent_in_force
from checkins.models import Alert
from kendra.models import Language, Resident

ALUMNUS_PK_OFFSET = 10**9  # candidates sort after mentor profiles on a tie


@dataclass
class AlumnusCandidate:
    """Looks enough like a MentorProfile for matching.rank; `alumnus` is the profile."""

    alumnus: object
    resident: object
    capacity: int = 3
    load: int = 0
    languages: list = field(default_factory=list)
    availability: str = ""

    @property
    def pk(self):
        return ALUMNUS_PK_OFFSET + self.alumnus.pk

    @property
    def name(self):
        return self.resident.full_name

    def all_languages(self):
        return list(dict.fromkeys([*self.resident.languages, *self.languages]))


def months_between(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def candidates(centre, today, mentee):
    """Alumni of `centre` who may be offered as mentors now (2 queries)."""
    min_sober = today - dt.timedelta(days=centre.mentor_min_days_sober)
    flagged = Alert.objects.open().values("resident_id")
    profiles = (
        AlumniProfile.objects.filter(
            centre=centre,
            can_mentor=True,
            resident__status=Resident.Status.DISCHARGED,
            resident__sobriety_date__lte=min_sober,
            resident__mentor_profile__isnull=True,  # with a profile they are offered as mentors
        )
        .annotate(contact_ok=contact_consent_in_force())
        .filter(contact_ok=True)
        .exclude(resident_id__in=flagged)
        .exclude(resident=mentee)
        .select_related("resident")
    )
    return [AlumnusCandidate(p, p.resident, languages=list(p.languages)) for p in profiles]


def explain(suggestion, today):
    """The reason first in the list: "Alumnus, 14 months sober, speaks Marathi"."""
    person = suggestion.mentor.resident
    labels = dict(Language.choices)
    spoken = ", ".join(str(labels.get(c, c)) for c in suggestion.mentor.all_languages()) or "—"
    suggestion.reasons.insert(
        0,
        _("Alumnus, %(months)s months sober, speaks %(languages)s")
        % {"months": months_between(person.sobriety_date, today), "languages": spoken},
    )
    suggestion.alumnus = suggestion.mentor.alumnus
    return suggestion
