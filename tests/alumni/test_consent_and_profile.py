import datetime as dt

from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile, Relapse
from kendra.models import AuditEvent, Consent

from .conftest import make_alumnus


def test_it_lists_newly_discharged_people_waiting_for_a_decision(as_user, coordinator, centre):
    waiting = make_alumnus(centre, coordinator, consent=False, full_name="Ajay Waiting")
    make_alumnus(centre, coordinator, full_name="Vijay Decided")
    page = as_user(coordinator).get(reverse("alumni:queue")).text
    assert "Ajay Waiting" in page and "Vijay Decided" not in page
    assert reverse("alumni:consent", args=[waiting.pk]) in page


def test_it_records_an_opt_in_with_time_and_who(as_user, coordinator, centre):
    profile = make_alumnus(centre, coordinator, consent=False)
    response = as_user(coordinator).post(
        reverse("alumni:consent", args=[profile.pk]), {"decision": "opted_in", "note": "on phone"}
    )
    assert response.status_code == 302
    consent = Consent.objects.get(resident=profile.resident, purpose="alumni_contact")
    assert consent.in_force and consent.given_by == coordinator
    assert abs(consent.given_at - timezone.now()) < dt.timedelta(minutes=1)
    profile.refresh_from_db()
    assert profile.consent_decision == "opted_in" and profile.consent_decided_by == coordinator
    assert AuditEvent.objects.filter(action="alumni.consent_opted_in").exists()


def test_it_withdraws_consent_on_opt_out_and_keeps_the_row(as_user, coordinator, alumnus):
    as_user(coordinator).post(
        reverse("alumni:consent", args=[alumnus.pk]), {"decision": "opted_out"}
    )
    consent = Consent.objects.get(resident=alumnus.resident, purpose="alumni_contact")
    assert consent.withdrawn_at is not None and consent.withdrawn_by == coordinator
    alumnus.refresh_from_db()
    assert alumnus.consent_decision == "opted_out" and not alumnus.available_for_visits


def test_it_refuses_a_consent_form_without_a_choice(as_user, coordinator, centre):
    profile = make_alumnus(centre, coordinator, consent=False)
    response = as_user(coordinator).post(reverse("alumni:consent", args=[profile.pk]), {})
    assert "Choose yes or no." in response.text and "Nothing was saved" in response.text
    assert not Consent.objects.exists()


def test_it_shows_contact_details_only_while_consent_is_in_force(as_user, coordinator, alumnus):
    client = as_user(coordinator)
    SHOWN = "098290 00111"  # the stored +919829000111, shown in national format
    assert SHOWN in client.get(reverse("alumni:directory")).text
    assert SHOWN in client.get(reverse("alumni:detail", args=[alumnus.pk])).text
    client.post(reverse("alumni:consent", args=[alumnus.pk]), {"decision": "opted_out"})
    directory = client.get(reverse("alumni:directory")).text
    assert "Deepak Saini" in directory and SHOWN not in directory
    assert "No consent to contact" in directory
    assert SHOWN not in client.get(reverse("alumni:detail", args=[alumnus.pk])).text


def test_it_searches_and_filters_the_directory(as_user, coordinator, centre):
    make_alumnus(centre, coordinator, full_name="Kota Man").__class__.objects.filter(
        resident__full_name="Kota Man"
    ).update(city="Kota")
    make_alumnus(centre, coordinator, full_name="Busy Man", available=False)
    old = make_alumnus(centre, coordinator, full_name="Old Timer")
    old.resident.sobriety_date = timezone.localdate() - dt.timedelta(days=800)
    old.resident.save()
    client = as_user(coordinator)
    assert "Kota Man" in client.get(reverse("alumni:directory"), {"city": "Kota"}).text
    assert "Busy Man" not in client.get(reverse("alumni:directory"), {"city": "Kota"}).text
    page = client.get(reverse("alumni:directory"), {"available": "visits"}).text
    assert "Busy Man" not in page and "Kota Man" in page
    page = client.get(reverse("alumni:directory"), {"sober": "730"}).text
    assert "Old Timer" in page and "Kota Man" not in page
    assert "Old Timer" in client.get(reverse("alumni:directory"), {"q": "timer"}).text


def test_it_refuses_visit_availability_before_consent(as_user, coordinator, centre):
    profile = make_alumnus(centre, coordinator, consent=False)
    response = as_user(coordinator).post(
        reverse("alumni:edit", args=[profile.pk]),
        {"city": "Ajmer", "phone": "", "available_for_visits": "on"},
    )
    assert "Record their agreement to be contacted first." in response.text
    profile.refresh_from_db()
    assert profile.city == "" and not profile.available_for_visits


def test_it_edits_a_profile(as_user, coordinator, alumnus):
    response = as_user(coordinator).post(
        reverse("alumni:edit", args=[alumnus.pk]),
        {"city": "Ajmer", "phone": "94140 12345", "languages": ["hi"], "can_mentor": "on"},
    )
    assert response.status_code == 302
    alumnus.refresh_from_db()
    assert alumnus.city == "Ajmer" and alumnus.phone == "+919414012345" and alumnus.can_mentor


def test_it_records_a_relapse_and_keeps_the_history(as_user, coordinator, alumnus):
    first = alumnus.resident.sobriety_date
    client = as_user(coordinator)
    today = timezone.localdate()
    for relapsed, sober in [
        (today - dt.timedelta(days=20), today - dt.timedelta(days=18)),
        (today - dt.timedelta(days=5), today - dt.timedelta(days=4)),
    ]:
        response = client.post(
            reverse("alumni:relapse", args=[alumnus.pk]),
            {"relapsed_on": relapsed.isoformat(), "new_sobriety_date": sober.isoformat()},
        )
        assert response.status_code == 302
    alumnus.resident.refresh_from_db()
    assert alumnus.resident.sobriety_date == today - dt.timedelta(days=4)
    history = list(
        Relapse.objects.filter(profile=alumnus)
        .order_by("relapsed_on")
        .values_list("previous_sobriety_date", "new_sobriety_date")
    )
    assert history == [
        (first, today - dt.timedelta(days=18)),
        (today - dt.timedelta(days=18), today - dt.timedelta(days=4)),
    ]
    page = client.get(reverse("alumni:detail", args=[alumnus.pk])).text
    assert "Relapse history" in page and page.count("Relapse on") == 2


def test_it_refuses_a_relapse_with_a_new_date_before_it(as_user, coordinator, alumnus):
    today = timezone.localdate()
    response = as_user(coordinator).post(
        reverse("alumni:relapse", args=[alumnus.pk]),
        {
            "relapsed_on": (today - dt.timedelta(days=2)).isoformat(),
            "new_sobriety_date": (today - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert "cannot be before the relapse" in response.text and "Nothing was saved" in response.text
    assert not Relapse.objects.exists()


def test_it_refuses_a_relapse_in_the_future(as_user, coordinator, alumnus):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = as_user(coordinator).post(
        reverse("alumni:relapse", args=[alumnus.pk]),
        {"relapsed_on": tomorrow, "new_sobriety_date": tomorrow},
    )
    assert "cannot be in the future" in response.text
    assert not Relapse.objects.exists()
    assert AlumniProfile.objects.get(pk=alumnus.pk).resident.sobriety_date != tomorrow
