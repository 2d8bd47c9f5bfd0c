"""Every resident gets exactly the one stay they have today: from the admission date to
the discharge date (if discharged), with its first stage (residential programme while
admitted; after-care after a completed programme)."""

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    Resident = apps.get_model("kendra", "Resident")
    Stay = apps.get_model("kendra", "Stay")
    HistoricalStay = apps.get_model("kendra", "HistoricalStay")
    StageChange = apps.get_model("kendra", "StageChange")
    now = timezone.now()
    have = set(Stay.objects.values_list("resident_id", flat=True))
    rows = Resident.objects.exclude(pk__in=have).order_by("pk")
    stays = []
    for resident in rows.iterator(chunk_size=2000):
        discharged = resident.status == "discharged"
        stage = "residential"
        if discharged and resident.discharge_reason == "completed":
            stage = "aftercare"
        admitted = resident.admission_date
        if discharged and resident.discharge_date:  # dates written the wrong way round
            admitted = min(admitted, resident.discharge_date)
        stays.append(
            Stay(
                resident_id=resident.pk,
                centre_id=resident.centre_id,
                admission_date=admitted,
                stage=stage,
                discharge_date=resident.discharge_date if discharged else None,
                discharge_reason=resident.discharge_reason if discharged else "",
                note=resident.discharge_note if discharged else "",
                created_at=now,
            )
        )
    Stay.objects.bulk_create(stays, batch_size=1000)
    HistoricalStay.objects.bulk_create(
        [
            HistoricalStay(
                id=stay.pk,
                resident_id=stay.resident_id,
                centre_id=stay.centre_id,
                admission_date=stay.admission_date,
                referral_source="",
                stage=stay.stage,
                discharge_date=stay.discharge_date,
                discharge_reason=stay.discharge_reason,
                note=stay.note,
                created_at=now,
                history_date=now,
                history_type="+",
                history_change_reason="one stay for every resident (migration)",
            )
            for stay in stays
        ],
        batch_size=1000,
    )
    StageChange.objects.bulk_create(
        [StageChange(stay_id=s.pk, stage=s.stage, on=s.admission_date, at=now) for s in stays],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("kendra", "0010_stays")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
