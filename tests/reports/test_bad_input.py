"""A period or centre no one could mean gets a message or a 404, never a server error."""

import pytest
from django.urls import reverse

URL = reverse("reports:monthly")
CSV = reverse("reports:monthly_csv")


@pytest.mark.parametrize(
    "start, end",
    [("0001-01-01", "0001-01-31"), ("9999-12-01", "9999-12-31"), ("1999-12-01", "1999-12-31")],
)
def test_it_explains_a_period_outside_the_years_kendra_holds(as_user, counselor, start, end):
    page = as_user(counselor).get(URL, {"start": start, "end": end})
    assert page.status_code == 200
    assert "Choose a date between 01/01/2000 and" in page.text
    csv = as_user(counselor).get(CSV, {"start": start, "end": end})
    assert csv.status_code == 200  # the CSV falls back to the last full month


@pytest.mark.parametrize("value", ["²", "9" * 23, "1e309", "-0", "", "4\x002"])
def test_it_answers_a_centre_no_one_could_mean_with_not_found(as_user, counselor, value):
    assert as_user(counselor).get(URL, {"centre": value}).status_code == 404
