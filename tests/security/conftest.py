"""The hostile sweep's tally, printed in pytest's summary so every run lists it."""

SWEEP = {}


def pytest_terminal_summary(terminalreporter):
    if SWEEP:
        terminalreporter.write_sep("-", "hostile input sweep")
        terminalreporter.write_line(
            "{form_pairs} form field × value pairs on {forms} forms, "
            "{param_pairs} query parameter × value pairs on {pages} pages, "
            "{failures} failures, {seconds:.0f} s".format(**SWEEP)
        )
