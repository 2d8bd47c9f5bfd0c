"""The export follows every row that belongs to a resident, at any depth (kendra/record.py).

The models are read from the app registry: a model added later that points at a resident
— directly or through another model — fails the first test until tests/everything.py can
make one, and then the second checks the export holds it (and its history)."""

import io
import json
import zipfile

from django.urls import reverse

from kendra import record, record_export
from kendra.models import Role
from tests.everything import MAKERS, NAME, everything, pointing_models

from ..factories import ResidentFactory, member


def test_every_model_that_points_at_a_resident_has_a_maker():
    missing = pointing_models() - set(MAKERS)
    assert not missing, f"add a maker to tests/everything.py for: {sorted(missing)}"
    assert "checkins.AlertEvent" in pointing_models()  # two steps away: through an alert


def test_the_export_holds_every_model_and_history_that_points_at_the_resident(centre):
    ctx = everything(centre)
    data = record_export.collect(ctx["resident"])
    exported = set(data["related"]) | {"kendra.Resident"}
    assert pointing_models() - exported == set()
    found = record.walk(ctx["resident"])
    histories = {m._meta.label for m in found if record.is_history(m)}
    for model in found:
        history = getattr(model, "history", None)
        if history is not None and not record.is_history(model):
            assert history.model._meta.label in histories, model
    assert "kendra.HistoricalResident" in data["related"]
    assert len(data["related"]["kendra.HistoricalResident"]) == 2


def test_no_token_or_hash_is_exported(centre):
    ctx = everything(centre)
    text = record_export.as_json(record_export.collect(ctx["resident"]))
    assert ctx["token"] not in text
    assert "token_hash" not in text and "e" * 64 not in text


def test_another_residents_rows_stay_out(centre):
    """As a mentor, the resident's pairing is theirs; their mentee's contact logs are not."""
    from mentors.models import ContactLog, Pairing

    ctx = everything(centre)
    mentee = ResidentFactory(centre=centre, full_name="Someone Else Entirely")
    pairing = Pairing.objects.create(
        centre=centre, mentor=ctx["made"]["mentors.MentorProfile"], mentee=mentee
    )
    ContactLog.objects.create(pairing=pairing, method="call", mood=3, note="private to the mentee")
    data = record_export.collect(ctx["resident"])
    text = record_export.as_json(data)
    assert "private to the mentee" not in text and "Someone Else Entirely" not in text
    assert pairing.pk in {row["id"] for row in data["related"]["mentors.Pairing"]}


def test_the_zip_has_record_json_a_csv_per_kind_and_a_summary_in_their_language(as_user, centre):
    admin = member(Role.CENTRE_ADMIN, centre, username="zip-admin")
    ctx = everything(centre, preferred_language="hi")
    response = as_user(admin).get(reverse("resident_export", args=[ctx["resident"].pk, "zip"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"record.json", "summary.html", "csv/kendra.Resident.csv"} <= names
    assert "csv/checkins.AlertEvent.csv" in names and "csv/mentors.ContactLog.csv" in names
    data = json.loads(archive.read("record.json"))
    assert data["resident"]["fields"]["full_name"] == NAME
    summary = archive.read("summary.html").decode()
    assert 'lang="hi"' in summary and NAME in summary
    assert "के बारे में" in summary  # the summary's heading, in Hindi
    viewed = [r for r in data["related"]["kendra.AuditEvent"] if r["action"] == "resident.viewed"]
    assert viewed and str(viewed[0]["user_id"]) in data["referenced"]["auth.User"]


def test_the_walk_costs_queries_by_depth_not_by_rows(centre, django_assert_max_num_queries):
    ctx = everything(centre)
    from checkins.models import CheckIn

    for n in range(20):
        CheckIn.objects.create(resident=ctx["resident"], mood=3, source="link", note=str(n))
    with django_assert_max_num_queries(150):
        found = record.walk(ctx["resident"])
    assert len(found[CheckIn]) == CheckIn.objects.filter(resident=ctx["resident"]).count()
