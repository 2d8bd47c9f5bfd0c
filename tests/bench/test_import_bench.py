"""The import benchmark runs the real import path and checks itself. No timings asserted."""

import json

import pytest
from django.core.management import call_command

from bench.management.commands.bench_import import make_csv
from kendra import imports
from kendra.models import Resident


def test_it_makes_the_same_valid_file_every_time():
    content = make_csv(50, seed=3)
    assert content == make_csv(50, seed=3) != make_csv(50, seed=4)
    rows = imports.read_csv(content)
    assert len(rows) == 50 and list(rows[0]) == imports.COLUMNS


@pytest.mark.django_db
def test_it_imports_every_row_and_reports_full_progress(tmp_path, capsys):
    out = tmp_path / "import.json"
    call_command("bench_import", rows=40, inline=True, json_path=str(out))
    figures = json.loads(out.read_text())
    assert figures["ok"] and figures["imported"] == 40 and figures["progress"] == "40/40"
    assert "import rows=40 seconds=" in capsys.readouterr().out
    # A second run goes into a centre of its own, so it imports all rows again.
    call_command("bench_import", rows=40, inline=True)
    assert Resident.objects.filter(centre__name__startswith="Import bench centre").count() == 80
