"""Check-ins left kendra/ for a top-level app (checkins/) keeping the label `checkins`:
the same tables, content types and migration history, so a database migrated at the old
layout has nothing to apply."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from checkins.models import Alert, AlertEvent, CheckIn, CheckinDefaults, ReminderPlan

BEFORE_THE_MOVE = [
    "0001_initial",
    "0002_reminder_plans",
    "0003_alert_rule_label",
    "0004_alert_details",
    "0005_alert_timeline",
]


def test_the_app_keeps_its_label_and_its_tables():
    config = apps.get_app_config("checkins")
    assert (config.name, config.label) == ("checkins", "checkins")
    tables = {m._meta.db_table for m in (Alert, AlertEvent, CheckIn, CheckinDefaults, ReminderPlan)}
    assert tables == {
        "checkins_alert",
        "checkins_alertevent",
        "checkins_checkin",
        "checkins_checkindefaults",
        "checkins_reminderplan",
    }


@pytest.mark.django_db
def test_the_migrations_of_the_old_layout_are_the_ones_applied_and_nothing_is_pending():
    executor = MigrationExecutor(connection)
    on_disk = sorted(name for app, name in executor.loader.disk_migrations if app == "checkins")
    assert on_disk[: len(BEFORE_THE_MOVE)] == BEFORE_THE_MOVE
    applied = MigrationRecorder(connection).applied_migrations()
    assert {("checkins", name) for name in BEFORE_THE_MOVE} <= set(applied)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
