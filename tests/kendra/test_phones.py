"""Phone numbers by the phonenumbers library (kendra/phones.py): any common spelling, one
E.164 value stored, landlines and garbage refused in words, the import preview and the
data migrations that rewrite stored numbers."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template import Context, Template
from django.urls import reverse

from kendra import imports, phones
from kendra.migrations import _phones as phones_migration
from kendra.models import Centre, ImportJob, Profile, Resident
from kendra.notify.webhooks import e164

from .test_import import csv_text, row, upload
from .test_residents import admit_data

SPELLINGS = [
    "9876543210",
    "98765 43210",
    "98765-43210",
    "098765 43210",
    "+91 98765 43210",
    "+919876543210",
    "0091 98765 43210",
    "91 98765 43210",
    "(+91) 98765.43210",
    "+91 (987) 654-3210",
]
E164 = "+919876543210"


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_common_spelling_is_one_number(spelling):
    assert phones.normalise(spelling) == E164
    assert e164(spelling) == E164  # the webhooks' helper reads them the same way


@pytest.mark.django_db
def test_ten_spellings_store_one_e164_value(as_user, counselor, centre):
    client = as_user(counselor)
    stored = set()
    for i, spelling in enumerate(SPELLINGS):
        data = admit_data(centre, full_name=f"Resident Spelling{i}", phone=spelling)
        response = client.post(reverse("resident_create"), data)
        assert response.status_code == 302, response.context["form"].errors
        resident = Resident.objects.get(full_name=f"Resident Spelling{i}")
        stored.add(resident.phone)
        # The number is unique in a centre: free it for the next spelling (admission made a
        # check-in plan, so the resident is kept rather than deleted).
        resident.phone = f"+9198765{i:05d}"
        resident.save()
    assert stored == {E164}


@pytest.mark.parametrize(
    "raw, words",
    [
        ("0141 2222333", "landline"),
        ("+91 141 222 2333", "landline"),
        ("call me", "digits only"),
        ("12345", "10-digit mobile number"),
        ("98765 4321", "10-digit mobile number"),
        ("9" * 50, "digits only"),
        ("98765\x0043210", "digits only"),
    ],
)
def test_landlines_and_garbage_are_refused_in_words(raw, words):
    with pytest.raises(ValidationError) as refused:
        phones.normalise_mobile(raw)
    assert words in " ".join(refused.value.messages)


def test_a_landline_is_refused_on_the_admit_form(as_user, counselor, centre):
    response = as_user(counselor).post(
        reverse("resident_create"), admit_data(centre, phone="0141-2222333")
    )
    assert response.status_code == 200
    assert "SMS and WhatsApp reach mobile numbers only" in response.text
    assert not Resident.objects.exists()


def test_a_centre_keeps_its_landline_and_short_numbers():
    assert phones.normalise_any("0141 2222333") == "+911412222333"
    assert phones.normalise_any("112") == "112"
    assert phones.normalise_any("14416") == "14416"


def test_numbers_are_shown_in_national_format():
    shown = Template("{% load phones %}{{ a|phone }}|{{ b|phone }}|{{ c|phone }}").render(
        Context({"a": E164, "b": "+447911123456", "c": "not a number"})
    )
    assert shown == "098765 43210|+44 7911 123456|not a number"


def test_the_import_preview_shows_normalised_numbers(as_user, centre_admin, centre):
    client = as_user(centre_admin)
    text = csv_text(row(1, phone="098765-43210"), row(2, phone="+91 (987) 654-3211"))
    upload(client, centre, text)
    job = ImportJob.objects.get()
    page = client.get(reverse("import_detail", args=[job.pk])).text
    assert "+919876543210" in page and "+919876543211" in page
    assert "098765-43210" not in page
    assert imports.preview(job)[0][2] == E164


def test_the_import_refuses_a_landline_row(as_user, centre_admin, centre):
    upload(as_user(centre_admin), centre, csv_text(row(1, phone="0141 2222333")))
    assert "landline" in str(ImportJob.objects.get().errors)


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_normalises_the_demo_data_and_lists_what_it_cannot_read(capsys):
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    residents = list(Resident.objects.exclude(phone="").order_by("pk")[:3])
    # Numbers as older code stored them: national spellings, and one nobody can read.
    Resident.objects.filter(pk=residents[0].pk).update(phone="98290 12345")
    Resident.objects.filter(pk=residents[1].pk).update(phone="0091-98290-12346")
    Resident.objects.filter(pk=residents[2].pk).update(phone="ask the warden")
    centre = Centre.objects.exclude(phone="").first()
    Centre.objects.filter(pk=centre.pk).update(phone="0141 2222 333", emergency_phone="112")
    Profile.objects.exclude(phone="").filter(
        pk=Profile.objects.exclude(phone="").first().pk
    ).update(phone="09829000001")
    history_before = Resident.history.filter(id=residents[0].pk).count()

    # The models as the migration sees them: the state just before kendra 0009.
    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(("kendra", "0009_phones_e164"), at_end=False)
    migration = executor.loader.get_migration("kendra", "0009_phones_e164")
    migration.operations[0].code(state.apps, None)

    assert Resident.objects.get(pk=residents[0].pk).phone == "+919829012345"
    assert Resident.objects.get(pk=residents[1].pk).phone == "+919829012346"
    assert Resident.objects.get(pk=residents[2].pk).phone == "ask the warden"  # left, listed
    centre.refresh_from_db()
    assert (centre.phone, centre.emergency_phone) == ("+911412222333", "112")
    assert Profile.objects.filter(phone="+919829000001").exists()
    assert not Profile.objects.filter(phone="09829000001").exists()
    latest = Resident.history.filter(id=residents[0].pk).order_by("-history_id")
    assert latest.count() == history_before + 1
    assert latest[0].history_change_reason == phones_migration.REASON
    assert latest[0].phone == "+919829012345"
    printed = capsys.readouterr().out
    assert f"kendra_resident id {residents[2].pk} phone: cannot be read" in printed
    assert "ask the warden" not in printed  # the number is masked in the listing
    # Every other app's migration runs on the same demo data without failing.
    for label, name in [
        ("families", "0004_phones_e164"),
        ("alumni", "0005_phones_e164"),
        ("staff", "0002_phones_e164"),
    ]:
        state = executor.loader.project_state((label, name), at_end=False)
        executor.loader.get_migration(label, name).operations[0].code(state.apps, None)
    assert not Resident.objects.filter(phone__startswith="0").exists()
