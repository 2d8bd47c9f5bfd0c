import datetime as dt

from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile, FollowUp
from kendra.models import Consent

TODAY = timezone.localdate


def discharge(client, resident, reason, day=None):
    return client.post(
        reverse("resident_discharge", args=[resident.pk]),
        {"discharge_date": (day or TODAY()).isoformat(), "discharge_reason": reason},
    )


def test_it_makes_an_alumnus_waiting_for_a_decision_when_the_programme_is_completed(
    as_user, counselor, resident
):
    discharge(as_user(counselor), resident, "completed")
    profile = AlumniProfile.objects.get(resident=resident)
    assert profile.consent_decision == AlumniProfile.Decision.PENDING
    assert profile.centre == resident.centre
    assert profile.phone == resident.phone


def test_it_schedules_follow_ups_at_1_3_6_and_12_months(as_user, counselor, resident):
    resident.admission_date = dt.date(2025, 6, 1)
    resident.save()
    discharge(as_user(counselor), resident, "completed", day=dt.date(2025, 8, 31))
    due = list(FollowUp.objects.filter(profile__resident=resident).values_list("months", "due_on"))
    assert due == [
        (1, dt.date(2025, 9, 30)),
        (3, dt.date(2025, 11, 30)),
        (6, dt.date(2026, 2, 28)),
        (12, dt.date(2026, 8, 31)),
    ]


def test_leaving_against_advice_schedules_contact_at_1_3_7_days_before_the_months(
    as_user, counselor, resident
):
    # Changed with issue 21: leaving against advice is followed up, the first days first.
    resident.admission_date = dt.date(2025, 6, 1)
    resident.save()
    discharge(as_user(counselor), resident, "against_advice", day=dt.date(2025, 8, 31))
    rows = FollowUp.objects.filter(profile__resident=resident).order_by("due_on")
    due = [(f.days, f.months, f.due_on, f.urgent) for f in rows]
    assert due == [
        (1, 0, dt.date(2025, 9, 1), True),
        (3, 0, dt.date(2025, 9, 3), True),
        (7, 0, dt.date(2025, 9, 7), True),
        (0, 1, dt.date(2025, 9, 30), False),
        (0, 3, dt.date(2025, 11, 30), False),
        (0, 6, dt.date(2026, 2, 28), False),
        (0, 12, dt.date(2026, 8, 31), False),
    ]
    assert {f.stay_id for f in rows} == {resident.stays.get().pk}


def test_it_keeps_an_earlier_consent_in_force(as_user, counselor, resident):
    Consent.objects.create(resident=resident, purpose=Consent.Purpose.ALUMNI_CONTACT)
    discharge(as_user(counselor), resident, "completed")
    assert resident.alumni_profile.consent_decision == AlumniProfile.Decision.OPTED_IN
