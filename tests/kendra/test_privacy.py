import csv
import io
import json
import os
import subprocess
import sys
import time

import pytest
from django.urls import reverse

from kendra.models import AuditEvent, Consent, Role
from kendra.notify import templates
from tests.factories import ConsentFactory, ResidentFactory, member


def test_it_lets_a_centre_admin_search_the_audit_log(as_user, centre_admin, counselor, resident):
    as_user(counselor).get(reverse("resident_detail", args=[resident.pk]))
    page = as_user(centre_admin).get(reverse("audit_log"), {"q": "Rahul"})
    assert page.status_code == 200
    assert "resident.viewed" in page.text and "anjali" in page.text


def test_it_hides_the_audit_log_from_other_roles(as_user, counselor, peer_leader, family_user):
    for user in (counselor, peer_leader, family_user):
        assert as_user(user).get(reverse("audit_log")).status_code == 403


def test_it_shows_no_other_centres_events(as_user, centre_admin, other_centre):
    stranger = ResidentFactory(centre=other_centre, full_name="Stranger Elsewhere")
    AuditEvent.objects.create(action="resident.viewed", resident=stranger, centre=other_centre)
    assert "Stranger" not in as_user(centre_admin).get(reverse("audit_log")).text


def test_audit_events_cannot_be_changed(resident):
    event = AuditEvent.objects.create(action="resident.viewed", resident=resident)
    event.action = "nothing happened"
    with pytest.raises(ValueError):
        event.save()


def test_it_audits_sign_ins_and_failures(client, counselor):
    client.post(reverse("login"), {"username": "anjali", "password": "wrong"})
    client.post(reverse("login"), {"username": "anjali", "password": "pw-for-tests"})
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "auth.sign_in_failed" in actions and "auth.signed_in" in actions


def test_it_locks_sign_in_after_five_wrong_passwords(client, counselor):
    for _ in range(5):
        client.post(reverse("login"), {"username": "anjali", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "anjali", "password": "pw-for-tests"})
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.text


def test_it_shows_who_viewed_a_record(as_user, counselor, centre_admin, resident):
    as_user(counselor).get(reverse("resident_detail", args=[resident.pk]))
    page = as_user(centre_admin).get(reverse("resident_detail", args=[resident.pk])).text
    assert "Who viewed this record" in page and "Test" in page


def test_it_records_and_withdraws_consent(as_user, counselor, resident):
    client = as_user(counselor)
    client.post(
        reverse("consent_add", args=[resident.pk]),
        {"purpose": "alumni_contact", "grantee_description": "Alumni coordinator", "note": ""},
    )
    consent = Consent.objects.get(resident=resident)
    assert consent.given_by == counselor and consent.in_force
    client.post(reverse("consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_at and consent.withdrawn_by == counselor
    assert consent.history.count() == 2  # previous version kept
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"consent.given", "consent.withdrawn"} <= actions


def test_it_hides_consents_of_other_centres(as_user, outsider, resident):
    consent = ConsentFactory(resident=resident)
    assert as_user(outsider).get(reverse("consent_withdraw", args=[consent.pk])).status_code == 404


def test_it_exports_a_residents_data(as_user, centre_admin, resident):
    ConsentFactory(resident=resident, grantee_description="=HYPERLINK(evil)")
    client = as_user(centre_admin)
    data = json.loads(client.get(reverse("resident_export", args=[resident.pk, "json"])).content)
    assert data["resident"]["fields"]["full_name"] == "Rahul Sharma"
    assert "kendra.Consent" in data["related"]
    body = client.get(reverse("resident_export", args=[resident.pk, "csv"])).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert ["kendra.resident", str(resident.pk), "full_name", "Rahul Sharma"] in rows
    assert any(row[3] == "'=HYPERLINK(evil)" for row in rows)
    assert AuditEvent.objects.filter(action="resident.exported").count() == 2


def test_only_centre_admins_export(as_user, counselor, outsider, resident):
    url = reverse("resident_export", args=[resident.pk, "json"])
    assert as_user(counselor).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 404


def test_it_keeps_previous_versions_of_a_resident(resident):
    resident.full_name = "Rahul K. Sharma"
    resident.save()
    assert [h.full_name for h in resident.history.order_by("history_date")] == [
        "Rahul Sharma",
        "Rahul K. Sharma",
    ]


def test_it_sends_a_content_security_policy_without_inline_scripts(as_user, counselor):
    policy = as_user(counselor).get(reverse("home"))["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )


def test_it_signs_staff_out_after_30_idle_minutes(client, counselor, settings):
    client.force_login(counselor)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == settings.STAFF_IDLE_SECONDS == 1800


def test_family_members_stay_signed_in_longer(client, centre):
    family = member(Role.FAMILY_MEMBER, centre)
    client.force_login(family)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() > 1800


def test_deploy_check_has_no_warnings_with_production_settings():
    # The browser tests allow sync ORM calls under Playwright's loop; production never does.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="kendra-" + "x9!Q" * 16 + str(time.time()),
        ALLOWED_HOSTS="kendra.example.in",
        # Production sends for real (kendra/checks.py refuses the console transports).
        EMAIL_URL="smtp+tls://kendra%40example.in:secret@smtp.example.in:587",
        SMS_GATEWAY_URL="https://sms-gateway.example.in/v1/messages",
        # Registered SMS (kendra/checks.py refuses a kind without its DLT template id).
        SMS_DLT_ENTITY_ID="1101234567890123456",
        SMS_DLT_SENDER="KENDRA",
        SMS_DLT_TEMPLATE_IDS=",".join(
            f"{kind}.{lang}=1107{i:04d}{j}"
            for i, kind in enumerate(templates.REGISTRY)
            for j, lang in enumerate(templates.LANGUAGES)
        ),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_corrected_attendance_note_keeps_its_previous_version(centre, counselor, resident):
    from groups.models import Attendance
    from tests.groups.factories import PeerGroupFactory, SessionFactory

    session = SessionFactory(group=PeerGroupFactory(centre=centre, facilitator=counselor))
    attendance = Attendance.objects.create(
        session=session, resident=resident, status="present", note="Quiet today"
    )
    attendance.note = "Quiet today; spoke at the end"
    attendance.status = "late"
    attendance.save()
    assert [h.note for h in attendance.history.order_by("history_date")] == [
        "Quiet today",
        "Quiet today; spoke at the end",
    ]
    assert session.history.exists()
