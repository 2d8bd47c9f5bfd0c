"""Ranking mentor candidates for one mentee, with the reasons in words.

A plain function over plain attributes: no queries here. The caller passes mentors
that are already eligible (accepting, sober long enough, no open alert), each with a
`load` (active mentees now), plus the pks of mentors this mentee had before.

Points (higher is better):
- gender: with the centre's same-gender policy, another gender is left out; without
  it, the same gender is worth 1;
- a shared language: 3 (a mentor you cannot talk to cannot mentor you);
- the same primary substance: 2;
- sobriety: 1 per full year sober, at most 3;
- free places: 1 per free place (spreads the load);
- a mentor at a later stage of recovery than the mentee (their latest stay): 1;
- an earlier, ended pairing with this mentee: left out unless asked for, then -2.
Ties go to the mentor with fewer mentees, then longer sobriety, then the older
profile (lower pk), so the order never depends on the database.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kendra.models import Language, Substance
from kendra.stays import STAGE_ORDER, Stage

LANGUAGE_POINTS = 3
SUBSTANCE_POINTS = 2
GENDER_POINTS = 1
MAX_YEAR_POINTS = 3
REPEAT_PENALTY = 2
STAGE_POINTS = 1


@dataclass
class Suggestion:
    mentor: object
    score: int = 0
    reasons: list = field(default_factory=list)
    load: int = 0
    days_sober: int = 0

    @property
    def free(self):
        return self.mentor.capacity - self.load


def _labels(codes, choices):
    names = dict(choices)
    return ", ".join(str(names.get(code, code)) for code in codes)


def rank(mentee, mentors, *, today, same_gender_only=True, previous=(), include_previous=False):
    """Ranked [Suggestion] for `mentee` among `mentors` (each with .resident and .load)."""
    previous = set(previous)
    found = []
    for mentor in mentors:
        person = mentor.resident
        load = getattr(mentor, "load", 0) or 0
        if person.pk == mentee.pk or load >= mentor.capacity:
            continue
        if same_gender_only and person.gender != mentee.gender:
            continue
        repeat = mentor.pk in previous
        if repeat and not include_previous:
            continue
        days = person.days_sober(today) or 0
        s = Suggestion(mentor=mentor, load=load, days_sober=days)

        if same_gender_only:
            s.reasons.append(_("Same gender, as the centre's policy asks"))
        elif person.gender == mentee.gender:
            s.score += GENDER_POINTS
            s.reasons.append(_("Same gender"))

        shared = [code for code in mentee.languages if code in mentor.all_languages()]
        if shared:
            s.score += LANGUAGE_POINTS
            s.reasons.append(
                _("Speaks %(languages)s, like the mentee")
                % {"languages": _labels(shared, Language.choices)}
            )
        else:
            s.reasons.append(_("No language in common"))

        substances = [
            code for code in mentee.primary_substances if code in person.primary_substances
        ]
        if substances:
            s.score += SUBSTANCE_POINTS
            s.reasons.append(
                _("Also recovering from %(substances)s")
                % {"substances": _labels(substances, Substance.choices)}
            )

        years = min(days // 365, MAX_YEAR_POINTS)
        s.score += years
        s.reasons.append(_("%(days)s days sober") % {"days": days})

        s.score += s.free
        s.reasons.append(
            _("Mentors %(load)s of %(capacity)s now, room for %(free)s more")
            % {"load": load, "capacity": mentor.capacity, "free": s.free}
        )

        mentor_stage = getattr(mentor, "stage", None)
        mentee_stage = getattr(mentor, "mentee_stage", None)
        if mentor_stage and STAGE_ORDER.get(mentor_stage, -1) > STAGE_ORDER.get(mentee_stage, -1):
            s.score += STAGE_POINTS
            s.reasons.append(
                _("At a later stage: %(stage)s") % {"stage": Stage(mentor_stage).label}
            )

        if repeat:
            s.score -= REPEAT_PENALTY
            s.reasons.append(_("Was this resident's mentor before"))
        found.append(s)
    found.sort(key=lambda s: (-s.score, s.load, -s.days_sober, s.mentor.pk))
    return found
