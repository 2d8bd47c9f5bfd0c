"""Every form's numbers stay within their column and its dates within a window, in words."""

import datetime as dt

from django import forms
from django.utils import timezone

from kendra.forms import KendraPlainForm, int_param, text_param
from kendra.privacy import AuditFilter
from mentors.forms import MentorProfileForm


class Plain(KendraPlainForm):
    count = forms.IntegerField()
    day = forms.DateField()


def test_it_bounds_a_number_with_no_column_to_int4_in_words():
    form = Plain({"count": str(2**31), "day": "2026-01-01"})
    assert not form.is_valid()
    assert form.errors["count"] == ["Enter a whole number from -2147483648 to 2147483647."]


def test_it_keeps_dates_away_from_year_1_and_9999():
    for value in ("0001-01-01", "1899-12-31", "9999-12-31"):
        form = Plain({"count": "1", "day": value})
        assert not form.is_valid()
        assert form.errors["day"][0].startswith("Choose a date between 01/01/1900 and")
    assert Plain({"count": "1", "day": timezone.localdate().isoformat()}).is_valid()


def test_it_bounds_a_model_number_by_its_column_and_its_meaning(db):
    assert MentorProfileForm().fields["capacity"].max_value == 10
    assert MentorProfileForm().fields["capacity"].min_value == 1


def test_it_bounds_an_id_filter_to_a_bigint():
    assert not AuditFilter({"resident": str(2**63)}).is_valid()
    assert AuditFilter({"resident": str(2**40)}).is_valid()


def test_it_reads_query_parameters_without_surprises():
    assert int_param("42") == 42
    assert [int_param(v) for v in ("²", "1e309", "9" * 23, "-1", "", None, "4\x002")] == [None] * 7
    assert text_param({"q": "  Ra\x00hul "}, "q") == "Rahul"
    assert text_param({}, "q") == ""


def test_a_future_date_is_refused_in_plain_words():
    from kendra.forms import HAPPENED, DateWindowValidator

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    try:
        DateWindowValidator(*HAPPENED)(tomorrow)
    except forms.ValidationError as error:
        assert error.messages == ["The date cannot be in the future."]
    else:
        raise AssertionError("a future date passed")
