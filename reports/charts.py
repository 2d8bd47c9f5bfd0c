"""Chart descriptions for templates: the same numbers feed the canvas and its table.

A chart is drawn by static/reports/charts.js from the JSON that `json_script` writes,
so pages need no inline script (the Content-Security-Policy forbids it).
"""

from django.utils.dateformat import format as format_date
from django.utils.formats import date_format, get_format, localize


def week_label(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def day_labels(days):
    """Short-date labels for many days: the locale's format is looked up once, not per day."""
    fmt = get_format("SHORT_DATE_FORMAT")
    return [format_date(day, fmt) for day in days]


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
