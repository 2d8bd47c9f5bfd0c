"""Reading the alert list, the check-in grid and a reminder plan leaves an audit event."""

from django.urls import reverse

from checkins import actions
from checkins.models import Alert
from kendra.models import AuditEvent


def test_reading_the_alert_list_is_audited(as_user, counselor, resident, monkeypatch):
    monkeypatch.setattr("kendra.notify.outbox.queue_send", lambda pks: list(pks))
    actions.record_checkin(resident, mood=1, source="circle")
    alert = Alert.objects.get()
    assert as_user(counselor).get(reverse("checkins:alerts")).status_code == 200
    event = AuditEvent.objects.get(action="alerts.viewed")
    assert event.user == counselor and f"alerts={alert.pk}" in event.detail


def test_reading_the_check_in_grid_is_audited(as_user, counselor, centre, resident):
    assert as_user(counselor).get(reverse("checkins:grid")).status_code == 200
    event = AuditEvent.objects.get(action="checkins.grid_viewed")
    assert event.user == counselor and event.centre == centre


def test_reading_a_reminder_plan_is_audited(as_user, counselor, resident):
    url = reverse("checkins:plan", args=[resident.pk])
    assert as_user(counselor).get(url).status_code == 200
    event = AuditEvent.objects.get(action="reminder_plan.viewed")
    assert event.user == counselor and event.resident == resident
    assert event.centre_id == resident.centre_id
