"""The hostile sweep's tally, printed in pytest's summary so every run lists it.

Each role's sweep is its own test (they run in parallel under xdist): the test records its
tally on its report (user_properties), which reaches the controlling process, where the
tallies are added up and printed."""

import pytest

SWEEP = {}
KEYS = ("form_pairs", "param_pairs", "forms", "pages", "failures")


@pytest.fixture
def record_tally(record_property):
    def record(username, tally):
        record_property("hostile_sweep", {"role": username, **tally})

    return record


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for name, tally in report.user_properties:
        if name == "hostile_sweep":
            for key in KEYS:
                SWEEP[key] = SWEEP.get(key, 0) + tally[key]
            SWEEP["seconds"] = SWEEP.get("seconds", 0) + tally["seconds"]
            SWEEP["roles"] = SWEEP.get("roles", 0) + 1


def pytest_terminal_summary(terminalreporter):
    if SWEEP:
        terminalreporter.write_sep("-", "hostile input sweep")
        terminalreporter.write_line(
            "{form_pairs} form field × value pairs on {forms} forms, "
            "{param_pairs} query parameter × value pairs on {pages} pages, "
            "{failures} failures, {seconds:.0f} s of test time over {roles} roles".format(**SWEEP)
        )
