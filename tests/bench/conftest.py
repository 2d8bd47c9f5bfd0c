"""The bench app is installed only with KENDRA_BENCH=1 (`make bench`); the suite runs
without it. Here its commands are found as `make bench` finds them, without installing
the app in the middle of the run (that would run every app's ready() again)."""

from pathlib import Path

import pytest
from django.core import management

import bench


@pytest.fixture(autouse=True)
def bench_commands(monkeypatch):
    found = dict(management.get_commands())
    folder = Path(bench.__file__).parent / "management"
    found.update(dict.fromkeys(management.find_commands(str(folder)), "bench"))
    monkeypatch.setattr(management, "get_commands", lambda: found)
