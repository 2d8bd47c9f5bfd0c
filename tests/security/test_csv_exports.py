"""Every CSV Kendra writes, exported with hostile names: no cell runs as a formula."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance
from kendra import csv_export
from kendra.models import Role
from tests.factories import CentreFactory, ConsentFactory, ResidentFactory, member
from tests.groups.factories import PeerGroupFactory, SessionFactory, join

HOSTILE = ['=HYPERLINK("http://x")', "+1+cmd", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def assert_defused(body):
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) > 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(csv_export.DANGEROUS_STARTS), (cell, row)
    return rows


@pytest.fixture
def hostile(db):
    centre = CentreFactory(name=HOSTILE[0])
    admin = member(Role.CENTRE_ADMIN, centre, username="vikram", first_name=HOSTILE[2])
    counselor = member(Role.COUNSELOR, centre, username="anjali", first_name=HOSTILE[3])
    group = PeerGroupFactory(centre=centre, name=HOSTILE[1], facilitator=counselor)
    resident = ResidentFactory(centre=centre, full_name=HOSTILE[4], preferred_name=HOSTILE[5])
    join(group, resident)
    session = SessionFactory(group=group)
    Attendance.objects.create(session=session, resident=resident, status="present")
    ConsentFactory(resident=resident, grantee_description=HOSTILE[3])
    return centre, admin, counselor, resident, session


def test_the_attendance_register_defuses_every_cell(as_user, hostile):
    _centre, _admin, counselor, _resident, session = hostile
    day = session.local_date.isoformat()
    response = as_user(counselor).get(
        reverse("groups:register"), {"date_from": day, "date_to": day}
    )
    rows = assert_defused(response.content.decode())
    assert rows[1][2] == "'" + HOSTILE[1]
    assert rows[1][4] == "'" + HOSTILE[4]


def test_the_resident_export_defuses_every_cell(as_user, hostile):
    _centre, admin, _counselor, resident, _session = hostile
    response = as_user(admin).get(reverse("resident_export", args=[resident.pk, "csv"]))
    rows = assert_defused(response.content.decode())
    assert ["kendra.resident", str(resident.pk), "full_name", "'" + HOSTILE[4]] in rows
    assert ["kendra.resident", str(resident.pk), "preferred_name", "'" + HOSTILE[5]] in rows


def test_the_monthly_report_defuses_every_cell(as_user, hostile):
    centre, admin, _counselor, _resident, _session = hostile
    today = timezone.localdate()
    response = as_user(admin).get(
        reverse("reports:monthly_csv"),
        {"centre": centre.pk, "start": today.replace(day=1).isoformat(), "end": today.isoformat()},
    )
    rows = assert_defused(response.content.decode())
    assert [str(rows[1][1]), rows[1][2]] == ["Centre", "'" + HOSTILE[0]]


def test_numbers_stay_numbers_and_text_that_looks_dangerous_is_quoted():
    out = io.StringIO()
    csv_export.writer(out, lineterminator="\n").writerow(
        [-3, 1.5, Decimal("-2.5"), None, "-3", "=1", "plain", True]
    )
    assert out.getvalue() == "-3,1.5,-2.5,,'-3,'=1,plain,True\n"
