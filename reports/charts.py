"""Chart descriptions for templates: the same numbers feed the canvas and its table.

A chart is drawn by static/reports/charts.js from the JSON that `json_script` writes,
so pages need no inline script (the Content-Security-Policy forbids it).
"""

import datetime as dt

from django.utils.dateformat import format as format_date
from django.utils.formats import date_format, get_format, localize


def week_label(day):
    return date_format(day, "SHORT_DATE_FORMAT")


# Django's numeric date codes, as Python writes them (Django's DateFormat costs ≈ 20 µs a
# date, and a resident's mood chart labels up to 91 days on every view of the page).
_NUMERIC = {
    "d": lambda day: f"{day.day:02d}",
    "j": lambda day: str(day.day),
    "m": lambda day: f"{day.month:02d}",
    "n": lambda day: str(day.month),
    "Y": lambda day: f"{day.year:04d}",
    "y": lambda day: f"{day.year % 100:02d}",
}


def day_labels(days):
    """Short-date labels for many days: the locale's format is looked up once, not per day.
    A format of numbers and separators only (d/m/Y in both languages) is written directly,
    the same text as Django's; any other (names, escapes) goes through Django."""
    fmt, days = get_format("SHORT_DATE_FORMAT"), list(days)
    if any(c.isalpha() and c not in _NUMERIC or c == "\\" for c in fmt) or any(
        isinstance(day, dt.datetime)
        for day in days  # times of day: left to Django
    ):
        return [format_date(day, fmt) for day in days]
    parts = [_NUMERIC.get(c, c) for c in fmt]
    return ["".join(p if isinstance(p, str) else p(day) for p in parts) for day in days]


def chart(chart_id, title, kind, labels, series, unit="", suggested_max=None, tall=False):
    """series: [(label, [numbers or None])]. Empty when every number is None or 0."""
    labels = [str(label) for label in labels]
    datasets = [{"label": str(name), "data": list(values)} for name, values in series]
    empty = not any(v for d in datasets for v in d["data"])
    shown = {}

    def cell(value):
        """The table's text of a number, as the template printed it ("—" for none):
        formatted once per distinct value (a day's average repeats a lot)."""
        key = (type(value), value)  # 3 and 3.0 print differently
        if key not in shown:
            shown[key] = "—" if value is None else f"{localize(value)}{unit}"
        return shown[key]

    return {
        "id": chart_id,
        "title": str(title),
        "empty": empty,
        "tall": tall,
        "unit": unit,
        "rows": [
            (label, [(d["label"], cell(d["data"][i])) for d in datasets])
            for i, label in enumerate(labels)
        ],
        "data": {
            "type": kind,
            "labels": labels,
            "datasets": datasets,
            "unit": unit,
            "suggestedMax": suggested_max,
        },
    }
