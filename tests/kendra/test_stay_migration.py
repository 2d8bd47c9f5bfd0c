"""The stays migration on a copy of the demo data (issue 21): today's schema with the demo
loaded → the new schema. Every resident has exactly one stay, every row that belongs to a
stay is attached to that resident's stay, and every number of the report pages is the same.

The demo is loaded with the current code, the database is migrated back to just before
the stays (the stays tables and columns dropped, the residents kept), then forward again:
what the data migrations make of the residents is what an installation gets."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reports import metrics
from reports.views import rows

from ..security.matrix import seed

FIRST_STAY_MIGRATIONS = [
    ("kendra", "0010_stays"),
    ("groups", "0004_stay"),
    ("checkins", "0007_stay"),
    ("mentors", "0003_stay"),
    ("alumni", "0003_stay"),
]
BELONG = [
    ("groups", "Attendance", "resident_id"),
    ("checkins", "CheckIn", "resident_id"),
    ("checkins", "Alert", "resident_id"),
    ("mentors", "Pairing", "mentee_id"),
    ("alumni", "FollowUp", "profile__resident_id"),
]


def _report_numbers():
    from kendra.models import Centre

    today = timezone.localdate()
    numbers = {}
    for centre in Centre.objects.order_by("pk"):
        for start, end in (metrics.last_full_month(today), (today.replace(day=1), today)):
            report = metrics.monthly(centre, start, end)
            numbers[(centre.pk, start)] = [
                rows(report),
                metrics.group_attendance_trend(centre, end),
                metrics.centre_trends(centre, today),
                metrics.mentor_load(centre),
            ]
    return numbers


def _before_stays(graph):
    targets = []
    for node in FIRST_STAY_MIGRATIONS:
        parents = [p for p in graph.node_map[node].parents if p.key[0] == node[0]]
        targets.append(parents[0].key)
    return targets


@pytest.mark.django_db(transaction=True)
def test_demo_data_moves_to_one_stay_each_with_the_same_report_numbers():
    seed()
    before = _report_numbers()
    executor = MigrationExecutor(connection)
    executor.migrate(_before_stays(executor.loader.graph))
    assert "kendra_stay" not in connection.introspection.table_names()  # really before
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.apps import apps

    Resident, Stay = apps.get_model("kendra", "Resident"), apps.get_model("kendra", "Stay")
    assert Resident.objects.count() > 30
    stays = {s.resident_id: s for s in Stay.objects.all()}
    assert Stay.objects.count() == Resident.objects.count() == len(stays)
    for resident in Resident.objects.all():
        stay = stays[resident.pk]
        assert stay.admission_date <= resident.admission_date
        assert stay.is_open == resident.is_admitted
        assert stay.discharge_date == (None if resident.is_admitted else resident.discharge_date)
    for app, model, key in BELONG:
        rows_ = apps.get_model(app, model).objects.values_list(key, "stay__resident_id")
        assert rows_, model
        assert all(resident == stay_resident for resident, stay_resident in rows_), model
    assert _report_numbers() == before
