import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alumni import conflicts
from alumni.models import AlumniProfile, Visit

from .conftest import make_alumnus, make_visit


def propose_data(centre, alumni, days=5, time="11:00", **overrides):
    data = {
        "centre": centre.pk,
        "alumni": [a.pk for a in alumni],
        "day": (timezone.localdate() + dt.timedelta(days=days)).isoformat(),
        "time": time,
        "duration": 60,
        "purpose": "share_story",
        "session_id": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_it_proposes_a_visit(as_user, coordinator, centre, alumnus):
    response = as_user(coordinator).post(
        reverse("alumni:visit_propose"), propose_data(centre, [alumnus])
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.status == "proposed" and list(visit.alumni.all()) == [alumnus]
    assert visit.proposed_by == coordinator
    assert timezone.localtime(visit.starts_at).hour == 11
    assert visit.ends_at - visit.starts_at == dt.timedelta(hours=1)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"days": -1}, "still to come"),
        ({"days": 0, "time": "00:01"}, "still to come"),
        ({"alumni": []}, "Choose at least one alumnus."),
        ({"duration": 5}, "at least 15 minutes"),
    ],
)
def test_it_refuses_bad_visits_with_a_clear_message(
    as_user, coordinator, centre, alumnus, overrides, message
):
    overrides = dict(overrides)
    data = propose_data(centre, [alumnus], days=overrides.pop("days", 5))
    data.update(overrides)
    response = as_user(coordinator).post(reverse("alumni:visit_propose"), data)
    assert response.status_code == 200
    assert message in response.text and "Nothing was saved" in response.text
    assert not Visit.objects.exists()


def test_it_refuses_an_alumnus_who_opted_out(as_user, coordinator, centre):
    out = make_alumnus(centre, coordinator, consent=False, full_name="Sunil Said No")
    out.consent_decision = AlumniProfile.Decision.OPTED_OUT
    out.save()
    response = as_user(coordinator).post(
        reverse("alumni:visit_propose"), propose_data(centre, [out])
    )
    assert "Sunil Said No has not agreed to be contacted" in response.text
    assert not Visit.objects.exists()


def test_it_refuses_an_alumnus_not_available_for_visits(as_user, coordinator, centre):
    busy = make_alumnus(centre, coordinator, available=False, full_name="Busy Bee")
    response = as_user(coordinator).post(
        reverse("alumni:visit_propose"), propose_data(centre, [busy])
    )
    assert "Busy Bee is not available for visits" in response.text
    assert not Visit.objects.exists()


def test_it_refuses_an_alumnus_of_another_centre(as_user, coordinator, centre, other_centre):
    stranger = make_alumnus(other_centre, coordinator)
    response = as_user(coordinator).post(
        reverse("alumni:visit_propose"), propose_data(centre, [stranger])
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_it_flags_a_double_booked_alumnus_and_asks_before_saving(
    as_user, coordinator, centre, alumnus
):
    make_visit(centre, [alumnus], days=5, hour=11)
    client = as_user(coordinator)
    data = propose_data(centre, [alumnus], days=5, time="11:30")
    response = client.post(reverse("alumni:visit_propose"), data)
    assert "already has a visit at that time" in response.text
    assert "propose anyway" in response.text
    assert Visit.objects.count() == 1
    response = client.post(reverse("alumni:visit_propose"), {**data, "propose_anyway": "on"})
    assert response.status_code == 302 and Visit.objects.count() == 2
    listing = client.get(reverse("alumni:visits")).text
    assert listing.count("is double-booked") == 2


def test_it_does_not_count_a_cancelled_visit_as_a_clash(as_user, coordinator, centre, alumnus):
    make_visit(centre, [alumnus], days=5, hour=11, status=Visit.Status.CANCELLED)
    response = as_user(coordinator).post(
        reverse("alumni:visit_propose"), propose_data(centre, [alumnus], days=5)
    )
    assert response.status_code == 302


def test_it_flags_a_visit_on_a_day_the_centre_is_closed(as_user, coordinator, centre, alumnus):
    day = timezone.localdate() + dt.timedelta(days=5)
    centre.closed_weekdays = [day.weekday()]
    centre.save()
    client = as_user(coordinator)
    response = client.post(reverse("alumni:visit_propose"), propose_data(centre, [alumnus]))
    assert "The centre is closed to visitors" in response.text
    assert not Visit.objects.exists()
    client.post(
        reverse("alumni:visit_propose"), propose_data(centre, [alumnus], propose_anyway="on")
    )
    assert "Centre closed that day" in client.get(reverse("alumni:visits")).text


def test_it_skips_the_session_check_when_there_is_no_groups_session_model(monkeypatch):
    def missing(app_label, model_name):
        raise LookupError(app_label)

    monkeypatch.setattr(conflicts.apps, "get_model", missing)
    assert conflicts.cancelled_sessions([5, 6]) == set()


def test_it_flags_a_joined_session_that_was_cancelled(monkeypatch, centre, alumnus):
    class Cancelled:
        pk, status = 7, "cancelled"

    class Running:
        pk, status = 8, "scheduled"

    class FakeManager:
        def filter(self, pk__in):
            return [s for s in (Cancelled, Running) if s.pk in pk__in]

    class FakeSession:
        _default_manager = FakeManager()

    monkeypatch.setattr(conflicts.apps, "get_model", lambda *args: FakeSession)
    assert conflicts.cancelled_sessions([7, 8, 9]) == {7, 9}  # 9: no such session any more
    visit = make_visit(centre, [alumnus], session_id=7)
    visit = Visit.objects.select_related("centre").prefetch_related("alumni").get(pk=visit.pk)
    assert conflicts.flag_visits([visit])[0].conflicts == ["Joined session cancelled"]


def test_it_confirms_a_proposed_visit(as_user, coordinator, visit):
    response = as_user(coordinator).post(reverse("alumni:visit_confirm", args=[visit.pk]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "confirmed" and visit.confirmed_by == coordinator


def test_it_refuses_to_confirm_twice_or_after_the_time(as_user, coordinator, centre, alumnus):
    client = as_user(coordinator)
    done = make_visit(centre, [alumnus], status=Visit.Status.DONE)
    response = client.post(reverse("alumni:visit_confirm", args=[done.pk]), follow=True)
    assert "Only a proposed visit can be confirmed" in response.text
    past = make_visit(centre, [alumnus], days=-1)
    response = client.post(reverse("alumni:visit_confirm", args=[past.pk]), follow=True)
    assert "The time of this visit has passed" in response.text
    past.refresh_from_db()
    assert past.status == "proposed"


def test_it_only_accepts_a_post_to_confirm(as_user, coordinator, visit):
    assert (
        as_user(coordinator).get(reverse("alumni:visit_confirm", args=[visit.pk])).status_code
        == 405
    )


def test_it_refuses_to_record_a_visit_done_before_its_date(as_user, coordinator, visit):
    visit.status = Visit.Status.CONFIRMED
    visit.save()
    response = as_user(coordinator).post(
        reverse("alumni:visit_done", args=[visit.pk]), {"feedback": "Great"}, follow=True
    )
    assert "This visit has not happened yet" in response.text
    visit.refresh_from_db()
    assert visit.status == "confirmed" and visit.feedback == ""


def test_it_records_the_outcome_after_the_visit(as_user, coordinator, visit, alumnus):
    as_user(coordinator).post(reverse("alumni:visit_confirm", args=[visit.pk]))
    later = visit.ends_at + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        client = as_user(coordinator)
        response = client.post(reverse("alumni:visit_done", args=[visit.pk]), {"feedback": ""})
        assert "Write a few words about how it went." in response.text
        response = client.post(
            reverse("alumni:visit_done", args=[visit.pk]),
            {"feedback": "Twelve residents asked questions.", "residents_reached": 12},
        )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "done" and visit.residents_reached == 12
    alumnus.refresh_from_db()
    assert alumnus.last_reached_on == timezone.localtime(visit.starts_at).date()


def test_it_refuses_to_cancel_without_a_reason(as_user, coordinator, visit):
    response = as_user(coordinator).post(
        reverse("alumni:visit_cancel", args=[visit.pk]), {"reason": "  "}
    )
    assert "Say why the visit is cancelled" in response.text
    visit.refresh_from_db()
    assert visit.status == "proposed"


def test_it_cancels_with_a_reason_and_keeps_the_visit(as_user, coordinator, visit):
    client = as_user(coordinator)
    response = client.post(reverse("alumni:visit_cancel", args=[visit.pk]), {"reason": "He is ill"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "cancelled" and visit.cancel_reason == "He is ill"
    assert visit.cancelled_by == coordinator
    assert "He is ill" in client.get(reverse("alumni:visit", args=[visit.pk])).text
    response = client.post(reverse("alumni:visit_cancel", args=[visit.pk]), {"reason": "again"})
    visit.refresh_from_db()
    assert visit.cancel_reason == "He is ill"
