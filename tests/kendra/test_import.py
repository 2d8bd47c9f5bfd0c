import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kendra import imports, tasks
from kendra.models import ImportJob, Resident
from tests.factories import ResidentFactory

HEADER = ",".join(imports.COLUMNS)


def row(i, **kw):
    values = {
        "full_name": f"Resident Number{i}",
        "gender": "male",
        "date_of_birth": "1990-01-01",
        "languages": "hi",
        "primary_substances": "alcohol",
        "phone": f"98{i:08d}",
        "preferred_language": "hi",
        "admission_date": "2026-10-01",
        "status": "admitted",
    }
    values.update(kw)
    return ",".join(values.get(c, "") for c in imports.COLUMNS)


def csv_text(*rows):
    return "\n".join([HEADER, *rows]) + "\n"


def upload(client, centre, text, name="register.csv"):
    return client.post(
        reverse("import_upload"),
        {"centre": centre.pk, "file": SimpleUploadedFile(name, text.encode(), "text/csv")},
    )


def test_it_previews_then_imports_everything(as_user, centre_admin, centre, monkeypatch):
    # The worker's part, run in place: the task itself, as a worker would run it.
    monkeypatch.setattr(
        tasks.import_residents, "apply_async", lambda args, **kw: tasks.import_residents(*args)
    )
    client = as_user(centre_admin)
    response = upload(client, centre, csv_text(*(row(i) for i in range(30))))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_detail", args=[job.pk])
    assert "30 new residents will be added" in client.get(response["Location"]).text
    assert not Resident.objects.exists()  # nothing before confirmation
    client.post(reverse("import_start", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.imported == 30
    assert Resident.objects.filter(centre=centre).count() == 30
    page = client.get(reverse("import_detail", args=[job.pk])).text
    assert 'value="100"' in page and "30 residents imported" in page


def test_a_file_with_errors_imports_nothing_and_lists_every_bad_row(as_user, centre_admin, centre):
    text = csv_text(
        row(1),
        row(2, date_of_birth="31/31/1990"),
        row(3, status="runaway"),
        row(4, phone="98" + "00000001"),
        row(5, admission_date=(dt.date.today() + dt.timedelta(days=30)).isoformat()),
        row(6, status="discharged", discharge_reason="completed", discharge_date=""),
    )
    client = as_user(centre_admin)
    upload(client, centre, text)
    job = ImportJob.objects.get()
    assert [e["row"] for e in job.errors] == [3, 4, 5, 6, 7]
    page = client.get(reverse("import_detail", args=[job.pk])).text
    assert "Unknown status" in page and "same as in row 2" in page
    assert "cannot be in the future" in page and "discharge date" in page
    client.post(reverse("import_start", args=[job.pk]))
    assert not Resident.objects.exists()


def test_it_is_safe_to_import_the_same_file_twice(centre):
    text = csv_text(*(row(i) for i in range(5)))
    imports.run(imports.prepare(centre, None, "a.csv", text))
    second = imports.prepare(centre, None, "a.csv", text)
    assert second.new_rows == 0 and second.existing_rows == 5
    imports.run(second)
    assert Resident.objects.count() == 5


def test_it_refuses_a_file_without_the_right_columns(as_user, centre_admin, centre):
    response = upload(as_user(centre_admin), centre, "name,age\nRavi,30\n")
    assert "has no column" in response.text
    assert not ImportJob.objects.exists()


def test_it_refuses_a_file_that_is_not_text(as_user, centre_admin, centre):
    client = as_user(centre_admin)
    response = client.post(
        reverse("import_upload"),
        {"centre": centre.pk, "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\xd8" * 3)},
    )
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_others_cannot_see_an_import(as_user, centre_admin, peer_leader, outsider, centre):
    job = imports.prepare(centre, centre_admin, "a.csv", csv_text(row(1)))
    url = reverse("import_detail", args=[job.pk])
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(peer_leader).get(url).status_code == 403


def test_the_command_imports_with_a_progress_bar(centre, tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_text(csv_text(*(row(i) for i in range(10))))
    call_command("import_residents", str(path), "--centre", str(centre.pk))
    out = capsys.readouterr()
    assert "Imported 10 residents" in out.out and "10/10" in out.err
    ResidentFactory(centre=centre, full_name="Someone")
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text(row(99, gender="alien")))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_residents", str(bad), "--centre", str(centre.pk))


def test_it_refuses_an_oversized_upload_and_imports_nothing(as_user, centre_admin, centre):
    big = csv_text(*(row(i) for i in range(10))) + ("#" * (imports.MAX_BYTES + 10))
    response = upload(as_user(centre_admin), centre, big)
    assert response.status_code == 200 and "larger than 5 MB" in response.text
    assert not ImportJob.objects.exists() and not Resident.objects.exists()


def test_the_uploaded_file_is_not_kept_once_its_import_ends(centre):
    done = imports.prepare(centre, None, "a.csv", csv_text(row(1), row(2)))
    imports.run(done)
    done.refresh_from_db()
    assert done.status == ImportJob.Status.DONE and done.content == ""
    assert Resident.objects.filter(centre=centre).count() == 2


def test_the_uploaded_file_is_not_kept_when_its_import_fails(centre):
    job = imports.prepare(centre, None, "a.csv", csv_text(row(1)))
    ResidentFactory(centre=centre, phone="9800000001", full_name="Someone Else")  # now a clash
    ImportJob.objects.filter(pk=job.pk).update(content=csv_text(row(1), row(1, full_name="X")))
    imports.run(ImportJob.objects.get(pk=job.pk))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.content == ""


def test_an_upload_nobody_imported_is_removed_after_a_day(centre):
    kept = imports.prepare(centre, None, "new.csv", csv_text(row(1)))
    old = imports.prepare(centre, None, "old.csv", csv_text(row(2)))
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=old.created_at - dt.timedelta(days=1, minutes=1)
    )
    assert tasks.forget_old_uploads() == 1
    old.refresh_from_db()
    kept.refresh_from_db()
    assert old.content == "" and old.status == ImportJob.Status.FAILED
    assert "Upload it again" in old.errors[0]["messages"][0]
    assert kept.content != "" and kept.status == ImportJob.Status.CHECKED
