"""Every CSV Kendra writes goes through here, so no cell runs as a spreadsheet formula.

Spreadsheets (Excel, LibreOffice, Google Sheets) treat a cell that starts with `=`, `+`,
`-` or `@` as a formula, and a leading tab or carriage return can hide one. A resident's
or a group's name typed as `=HYPERLINK(…)` would run on the counselor's computer when the
attendance register is opened. Such text cells start with a quote instead; numbers (a
real int, float or Decimal, never text) are written as they are.
"""

import csv
from decimal import Decimal

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The cell as a spreadsheet should see it: dangerous text starts with a quote."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


class SafeWriter:
    """csv.writer with every cell passed through safe_cell."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(out, **kwargs):
    """A CSV writer for `out` (an HttpResponse or a file) that defuses every cell."""
    return SafeWriter(out, **kwargs)
