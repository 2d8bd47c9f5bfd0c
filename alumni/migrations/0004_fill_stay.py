"""Existing follow-ups belong to the one stay each resident has (kendra 0011_fill_stays)."""

from django.db import migrations


def fill(apps, schema_editor):
    Stay = apps.get_model("kendra", "Stay")
    FollowUp = apps.get_model("alumni", "FollowUp")
    first = {}
    for resident_id, pk in Stay.objects.order_by("-admission_date", "-pk").values_list(
        "resident_id", "pk"
    ):
        first[resident_id] = pk  # the last written is the earliest stay
    rows = list(FollowUp.objects.filter(stay__isnull=True).select_related("profile"))
    for row in rows:
        row.stay_id = first.get(row.profile.resident_id)
    FollowUp.objects.bulk_update(rows, ["stay"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("alumni", "0003_stay"), ("kendra", "0011_fill_stays")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
