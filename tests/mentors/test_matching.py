"""The ranking: one test per reason, and for ties."""

import datetime as dt

from kendra.models import Resident
from mentors.matching import rank
from mentors.models import MentorProfile

TODAY = dt.date(2026, 3, 1)


def person(pk, gender="male", languages=("hi",), substances=("alcohol",), days=400):
    return Resident(
        pk=pk,
        full_name=f"Person {pk}",
        gender=gender,
        languages=list(languages),
        primary_substances=list(substances),
        sobriety_date=TODAY - dt.timedelta(days=days) if days is not None else None,
        admission_date=TODAY,
    )


def mentor(pk, load=0, capacity=3, languages=(), **kwargs):
    profile = MentorProfile(pk=pk, resident=person(100 + pk, **kwargs), capacity=capacity)
    profile.languages = list(languages)
    profile.load = load
    return profile


MENTEE = person(1, languages=("hi", "raj"), substances=("opioids",), days=10)


def names(suggestions):
    return [s.mentor.pk for s in suggestions]


def reasons(suggestion):
    return [str(r) for r in suggestion.reasons]


def test_it_leaves_out_another_gender_under_the_same_gender_policy():
    found = rank(MENTEE, [mentor(1, gender="female"), mentor(2)], today=TODAY)
    assert names(found) == [2]
    assert "Same gender, as the centre's policy asks" in reasons(found[0])


def test_it_prefers_the_same_gender_when_the_policy_is_off():
    found = rank(
        MENTEE, [mentor(1, gender="female"), mentor(2)], today=TODAY, same_gender_only=False
    )
    assert names(found) == [2, 1]
    assert "Same gender" in reasons(found[0])


def test_it_prefers_a_shared_language_and_names_it():
    mentee = person(1, languages=("bn", "raj"), substances=("opioids",), days=10)
    found = rank(mentee, [mentor(1), mentor(2, languages=("raj",))], today=TODAY)
    assert names(found) == [2, 1]
    assert "Speaks Rajasthani, like the mentee" in reasons(found[0])
    assert "No language in common" in reasons(found[1])
    assert found[0].score - found[1].score == 3


def test_it_prefers_the_same_primary_substance():
    found = rank(MENTEE, [mentor(1), mentor(2, substances=("opioids",))], today=TODAY)
    assert names(found) == [2, 1]
    assert "Also recovering from Opioids (heroin, smack, opium)" in reasons(found[0])


def test_it_counts_longer_sobriety_up_to_three_years():
    found = rank(MENTEE, [mentor(1, days=200), mentor(2, days=800)], today=TODAY)
    assert names(found) == [2, 1]
    assert found[0].score - found[1].score == 2
    assert "800 days sober" in reasons(found[0])
    capped = rank(MENTEE, [mentor(3, days=365 * 3), mentor(4, days=365 * 9)], today=TODAY)
    assert capped[0].score == capped[1].score


def test_it_prefers_lighter_load_and_leaves_out_full_mentors():
    found = rank(MENTEE, [mentor(1, load=2), mentor(2, load=0), mentor(3, load=3)], today=TODAY)
    assert names(found) == [2, 1]
    assert "Mentors 2 of 3 now, room for 1 more" in reasons(found[1])


def test_it_leaves_out_an_earlier_mentor_unless_asked():
    mentors = [mentor(1), mentor(2)]
    assert names(rank(MENTEE, mentors, today=TODAY, previous=[1])) == [2]
    found = rank(MENTEE, mentors, today=TODAY, previous=[1], include_previous=True)
    assert names(found) == [2, 1]
    assert "Was this resident's mentor before" in reasons(found[1])


def test_it_never_suggests_the_mentee_to_themselves():
    self_mentor = MentorProfile(pk=9, resident=MENTEE, capacity=3)
    self_mentor.load = 0
    assert rank(MENTEE, [self_mentor], today=TODAY) == []


def test_ties_go_to_the_mentor_with_fewer_mentees():
    # load 1 with capacity 4 and load 0 with capacity 3 both have 3 free places
    found = rank(MENTEE, [mentor(1, load=1, capacity=4), mentor(2, load=0)], today=TODAY)
    assert found[0].score == found[1].score
    assert names(found) == [2, 1]


def test_ties_then_go_to_longer_sobriety():
    found = rank(MENTEE, [mentor(1, days=400), mentor(2, days=420)], today=TODAY)
    assert found[0].score == found[1].score
    assert names(found) == [2, 1]


def test_full_ties_go_to_the_older_profile_whatever_the_input_order():
    first = rank(MENTEE, [mentor(5), mentor(3), mentor(4)], today=TODAY)
    second = rank(MENTEE, [mentor(4), mentor(5), mentor(3)], today=TODAY)
    assert names(first) == names(second) == [3, 4, 5]
