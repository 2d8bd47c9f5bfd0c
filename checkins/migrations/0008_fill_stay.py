"""Existing rows belong to the one stay each resident has (kendra 0011_fill_stays)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def _attach(model, Stay, resident_key):
    first = Stay.objects.filter(resident_id=OuterRef(resident_key)).order_by("admission_date", "pk")
    # Migration-time models have no history of their own: a plain UPDATE is the write.
    model.objects.filter(stay__isnull=True).update(stay_id=Subquery(first.values("pk")[:1]))


def fill(apps, schema_editor):
    Stay = apps.get_model("kendra", "Stay")
    _attach(apps.get_model("checkins", "CheckIn"), Stay, "resident_id")
    _attach(apps.get_model("checkins", "Alert"), Stay, "resident_id")


class Migration(migrations.Migration):
    dependencies = [("checkins", "0007_stay"), ("kendra", "0011_fill_stays")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
