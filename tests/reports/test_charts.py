"""Chart labels written without Django's DateFormat read exactly as Django writes them."""

import datetime as dt

from django.test import override_settings
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date

from reports.charts import day_labels

DAYS = [dt.date(1999, 12, 25) + dt.timedelta(days=n) for n in range(800)]


def test_day_labels_are_djangos_short_dates_in_both_languages():
    for language in ("en", "hi"):
        with translation.override(language):
            assert day_labels(iter(DAYS)) == [format_date(d, "d/m/Y") for d in DAYS]


def test_any_numeric_format_reads_as_django_writes_it():
    for fmt in ("j.n.y", "Y-m-d", "d/m/Y"):
        with override_settings(SHORT_DATE_FORMAT=fmt, FORMAT_MODULE_PATH=None):
            with translation.override(None):
                assert day_labels(DAYS) == [format_date(d, fmt) for d in DAYS]


def test_names_escapes_and_datetimes_go_through_django():
    with override_settings(SHORT_DATE_FORMAT=r"j F \o\f Y", FORMAT_MODULE_PATH=None):
        with translation.override(None):
            assert day_labels(DAYS[:40]) == [format_date(d, r"j F \o\f Y") for d in DAYS[:40]]
    late = timezone.make_aware(dt.datetime(2026, 3, 1, 23, 0), dt.UTC)
    with translation.override("en"):
        assert day_labels([late]) == [format_date(late, "d/m/Y")]
