"""seed_scale belongs to the benchmark: it runs only with KENDRA_BENCH=1 and never against
a database that holds anything but the benchmark's own data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from kendra.models import Resident
from tests.factories import ResidentFactory

ROOT = Path(__file__).resolve().parents[2]


def test_it_is_not_even_a_command_without_kendra_bench():
    env = {k: v for k, v in os.environ.items() if k != "KENDRA_BENCH"}
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_scale", "--tiny"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Unknown command: 'seed_scale'" in result.stderr


@pytest.mark.django_db
@override_settings(KENDRA_BENCH=False)
def test_it_refuses_to_run_without_kendra_bench():
    with pytest.raises(CommandError, match="KENDRA_BENCH=1"):
        call_command("seed_scale", tiny=True, quiet=True)
    assert not Resident.objects.exists()


@pytest.mark.django_db
@override_settings(KENDRA_BENCH=True)
def test_it_never_touches_a_database_with_other_data_even_with_force(centre):
    ResidentFactory(centre=centre, full_name="A real resident")
    with pytest.raises(CommandError, match="not the benchmark's"):
        call_command("seed_scale", tiny=True, force=True, quiet=True)
    assert Resident.objects.get().full_name == "A real resident"


@pytest.mark.django_db
@override_settings(KENDRA_BENCH=True)
def test_an_account_alone_is_other_data(django_user_model):
    django_user_model.objects.create_user("admin", password="x")  # noqa: S106
    with pytest.raises(CommandError, match="not the benchmark's"):
        call_command("seed_scale", tiny=True, force=True, quiet=True)
    assert django_user_model.objects.filter(username="admin").exists()


@pytest.mark.django_db
@override_settings(KENDRA_BENCH=True)
def test_a_seeded_bench_database_is_emptied_only_with_force(centre):
    ResidentFactory(centre=centre)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_seed (seed integer, version integer, size text, seeded_on date)"
        )
        cursor.execute("INSERT INTO bench_seed VALUES (1, 1, 'tiny', CURRENT_DATE)")
    with pytest.raises(CommandError, match="use --force"):
        call_command("seed_scale", tiny=True, quiet=True)
    assert Resident.objects.count() == 1
