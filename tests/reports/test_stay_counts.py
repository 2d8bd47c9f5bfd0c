"""The monthly report's stay counts (issue 21): admissions, readmissions within 30 and 90
days of a discharge, and left against advice, against rows counted by hand."""

import datetime as dt

from django.urls import reverse

from kendra.models import Stay
from reports import metrics

from ..factories import ResidentFactory, member

D = dt.timedelta


def _person(centre, admitted, left=None, reason="completed", again=None, again_left=None):
    resident = ResidentFactory(centre=centre, admission_date=admitted, stay=False)
    stay = Stay.open(resident, admitted)
    if left:
        stay.close(resident, left, reason)
    if again:
        second = Stay.open(resident, again)
        if again_left:
            second.close(resident, again_left, "against_advice")
    return resident


def test_admissions_readmissions_and_left_against_advice(centre, client):
    start, end = metrics.last_full_month()
    _person(centre, start - D(40), start - D(10), "against_advice", again=start + D(5))  # 15 d
    _person(centre, start - D(150), start - D(60), again=start + D(3))  # 63 days
    _person(centre, start - D(400), start - D(200), again=start + D(1))  # 201 days
    _person(centre, start + D(2), start + D(4), "against_advice")  # new, left in the period
    _person(centre, start - D(90), start - D(1), "against_advice")  # left before the period
    _person(centre, end + D(1))  # admitted after the period
    counted = metrics.stays(centre, start, end)
    assert counted == {
        "admissions": 4,
        "readmitted_30": 1,
        "readmitted_90": 2,
        "left_against_advice": 1,
    }
    admin = member("centre_admin", centre)
    client.force_login(admin, backend="kendra.backends.MembershipBackend")
    page = client.get(reverse("reports:monthly")).content.decode()
    assert "Readmissions within 30 days" in page and "previous discharge" in page
