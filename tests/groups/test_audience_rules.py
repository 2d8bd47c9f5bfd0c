"""Audience rules with no gaps (issue 21): a youth group refuses a resident with no date
of birth, the age limit is a centre setting; a resident of the gender "other" joins a men's
or women's group only when the counselor has recorded that choice (kept in history)."""

import datetime as dt

from django.urls import reverse

from groups.models import PeerGroup
from kendra.models import Resident

from ..factories import ResidentFactory


def _group(centre, audience):
    return PeerGroup.objects.create(centre=centre, name=f"{audience} group", audience=audience)


def test_youth_without_a_date_of_birth_is_refused(centre):
    youth = _group(centre, "youth")
    nobody_knows = ResidentFactory(centre=centre, date_of_birth=None)
    assert "add a date of birth first" in youth.audience_problem(nobody_knows)


def test_the_youth_age_limit_is_a_centre_setting(centre):
    youth = _group(centre, "youth")
    born = dt.date.today().replace(year=dt.date.today().year - 28) - dt.timedelta(days=2)
    person = ResidentFactory(centre=centre, date_of_birth=born)
    assert "youth up to 25" in youth.audience_problem(person)
    centre.youth_age_limit = 30
    centre.save()
    youth.refresh_from_db()
    assert youth.audience_problem(person) is None


def test_other_gender_joins_a_mens_group_only_with_the_recorded_choice(as_user, counselor, centre):
    men, women = _group(centre, "men"), _group(centre, "women")
    person = ResidentFactory(centre=centre, gender="other", full_name="Chandni Kinnar")
    assert "record on their page" in men.audience_problem(person)
    assert "record on their page" in women.audience_problem(person)
    data = {
        "full_name": person.full_name,
        "gender": "other",
        "preferred_language": "hi",
        "admission_date": person.admission_date.isoformat(),
        "joins_groups_for": "female",
    }
    response = as_user(counselor).post(reverse("resident_edit", args=[person.pk]), data)
    assert response.status_code == 302
    person = Resident.objects.get(pk=person.pk)
    assert women.audience_problem(person) is None
    assert "record on their page" in men.audience_problem(person)
    assert person.history.first().joins_groups_for == "female"  # kept in history
    assert person.history.count() >= 2


def test_the_choice_means_nothing_for_other_genders(as_user, counselor, centre):
    person = ResidentFactory(centre=centre, gender="male")
    data = {
        "full_name": person.full_name,
        "gender": "male",
        "preferred_language": "hi",
        "admission_date": person.admission_date.isoformat(),
        "joins_groups_for": "female",
    }
    as_user(counselor).post(reverse("resident_edit", args=[person.pk]), data)
    assert Resident.objects.get(pk=person.pk).joins_groups_for == ""
    assert "for women" in _group(centre, "women").audience_problem(person)
