"""A resident's whole record as one ZIP: record.json, one CSV per kind, and a printable
HTML summary in the resident's language (kendra/record.py finds the rows)."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import csv_export, record
from .models import Resident


def collect(resident):
    """{"resident": {…}, "related": {label: [rows]}, "referenced": {label: {pk: name}}}."""
    return _collect(resident)[0]


def _collect(resident):
    """(the data, {label: the kind's name in words, translated when shown})."""
    found = record.walk(resident)
    titles = {record.label(m): m._meta.verbose_name_plural for m in found}
    related = {
        record.label(model): record.rows(model, pks)
        for model, pks in sorted(found.items(), key=lambda item: record.label(item[0]))
        if model is not Resident
    }
    data = {
        "resident": {"pk": resident.pk, "fields": record.rows(Resident, [resident.pk])[0]},
        "related": related,
        "referenced": {
            label: {str(pk): name for pk, name in names.items()}
            for label, names in record.referenced(found).items()
        },
        "exported_at": timezone.now(),
    }
    return data, titles


def as_json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _csv(rows):
    out = io.StringIO()
    writer = csv_export.writer(out)
    header = list(rows[0]) if rows else ["id"]
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                json.dumps(row[k], cls=DjangoJSONEncoder, ensure_ascii=False)
                if isinstance(row[k], list | dict)
                else row[k]
                for k in header
            ]
        )
    return out.getvalue()


def _summary(resident, data, titles):
    """The HTML summary, in the resident's language: every kind with its rows."""
    kinds = [("kendra.Resident", [data["resident"]["fields"]])] + list(data["related"].items())
    with translation.override(resident.preferred_language or "hi"):
        return render_to_string(
            "kendra/record_summary.html",
            {
                "resident": resident,
                "kinds": [
                    (
                        titles.get(label, label),
                        label,
                        list(items[0]) if items else [],
                        [list(row.values()) for row in items],
                    )
                    for label, items in kinds
                ],
                "exported_at": data["exported_at"],
            },
        )


def as_zip(resident):
    """The bytes of the ZIP."""
    data, titles = _collect(resident)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", as_json(data))
        archive.writestr("csv/kendra.Resident.csv", _csv([data["resident"]["fields"]]))
        for label, items in data["related"].items():
            archive.writestr(f"csv/{label}.csv", _csv(items))
        archive.writestr("summary.html", _summary(resident, data, titles))
    return buffer.getvalue()


def as_long_csv(data, out):
    """The older one-file CSV: (record, id, field, value) per cell."""
    writer = csv_export.writer(out)
    writer.writerow(["record", "id", "field", "value"])
    items = [("kendra.resident", [data["resident"]["fields"]])] + sorted(data["related"].items())
    for label, rows in items:
        for row in rows:
            for field, value in row.items():
                if field != "id":
                    writer.writerow([label, row.get("id"), field, value])
