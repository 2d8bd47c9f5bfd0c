"""Dates no arithmetic can handle get a message in words, never a server error."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "date_from, date_to",
    [
        ("0001-01-01", "0001-01-01"),
        ("9999-12-31", "9999-12-31"),
        ("0001-01-01", "0001-12-31"),
        ("1899-12-31", "1900-01-01"),
    ],
)
def test_the_register_refuses_dates_out_of_range(as_user, peer_leader, date_from, date_to):
    response = as_user(peer_leader).get(
        reverse("groups:register"), {"date_from": date_from, "date_to": date_to}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Choose a date between" in response.text
