"""Home panels are computed on every request: every write they read shows on the next one,
and nobody sees another person's panel."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from checkins import actions as checkin_actions
from checkins.models import Alert
from groups.models import Attendance, Session
from tests.factories import ResidentFactory, member
from tests.groups.factories import PeerGroupFactory

pytestmark = pytest.mark.django_db

HOME_QUERIES = 9  # the same for 2 or 12 residents with open alerts (the rota panel included)


def home(client):
    return client.get("/").content.decode()


def absences(client):
    return home(client).split('id="absent-heading"')[1].split("</section>")[0]


def alert_panel(html):
    return html.split('id="alerts-heading"')[1].split("</section>")[0]


def raise_alert(resident, reason="Low mood three days running"):
    return Alert.objects.create(
        resident=resident, centre=resident.centre, rule="low_mood", reason=reason, dedupe_key="k"
    )


@pytest.mark.parametrize("size", [2, 12])
def test_the_home_page_runs_the_same_queries_for_a_small_or_large_centre(
    as_user, counselor, centre, size, django_assert_max_num_queries
):
    for resident in ResidentFactory.create_batch(size, centre=centre):
        Alert.objects.create(
            resident=resident, centre=centre, rule="low_mood", reason="Low", dedupe_key=resident.pk
        )
    group = PeerGroupFactory(centre=centre, facilitator=counselor)
    now = timezone.now()
    Session.objects.create(group=group, centre=centre, start=now, end=now + dt.timedelta(hours=1))
    client = as_user(counselor)
    with django_assert_max_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


def test_it_shows_a_new_alert_on_the_next_request(as_user, counselor, resident):
    client = as_user(counselor)
    home(client)
    raise_alert(resident)
    assert "Alerts" in home(client)
    assert "Low mood three days running" in alert_panel(home(client))


def test_it_drops_an_acknowledged_alert_from_the_count_on_the_next_request(
    as_user, counselor, resident
):
    alert = raise_alert(resident)
    client = as_user(counselor)
    first = client.get("/")
    assert (
        next(c for t, c in first.context["panels"] if "alerts" in c)["alerts"][0].status == "open"
    )
    checkin_actions.acknowledge(alert, counselor)
    second = client.get("/")
    shown = next(c for t, c in second.context["panels"] if "alerts" in c)["alerts"]
    assert shown[0].status == "acknowledged"


def test_it_takes_a_resident_off_the_missing_list_after_the_grid_is_saved(
    as_user, counselor, resident
):
    client = as_user(counselor)
    missing = lambda r: next(c for t, c in r.context["panels"] if "missing" in c)["missing"]  # noqa: E731
    assert resident in missing(client.get("/"))
    checkin_actions.save_grid([resident], {resident.pk: (4, None)}, counselor)
    assert resident not in missing(client.get("/"))


def test_it_shows_two_logged_absences_on_the_next_request(as_user, counselor, centre):
    person = ResidentFactory(centre=centre, full_name="Twice Absent Person")
    group = PeerGroupFactory(centre=centre)
    client = as_user(counselor)
    assert "Twice Absent Person" not in absences(client)
    now = timezone.now()
    for days in (2, 1):
        s = Session.objects.create(
            group=group,
            centre=centre,
            start=now - dt.timedelta(days=days, hours=1),
            end=now - dt.timedelta(days=days),
            status=Session.Status.HELD,
        )
        Attendance.objects.create(session=s, resident=person, status="absent")
    assert "Twice Absent Person" in absences(client)


def test_it_keeps_one_centres_panels_from_anothers_staff(as_user, counselor, outsider, resident):
    client = as_user(outsider)
    client.get("/")
    raise_alert(resident)
    html = home(client)
    assert "Low mood three days running" not in html


def test_it_does_not_show_a_counselors_panel_to_a_peer_leader(
    as_user, counselor, peer_leader, resident
):
    raise_alert(resident)
    as_user(counselor).get("/")
    response = as_user(peer_leader).get("/")
    assert not [c for t, c in response.context["panels"] if "alerts" in c]


def test_it_computes_the_panels_when_the_cache_is_down(as_user, counselor, resident, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache is down")

    for name in ("get", "get_many", "set", "set_many"):
        monkeypatch.setattr(cache, name, down)
    raise_alert(resident)
    response = as_user(counselor).get("/")
    assert response.status_code == 200
    alerts = next(c for t, c in response.context["panels"] if "alerts" in c)["alerts"]
    assert [a.resident_id for a in alerts] == [resident.pk]


def test_it_shows_a_new_member_of_staff_the_open_alerts(as_user, centre, resident):
    newcomer = member("counselor", centre)
    raise_alert(resident)
    response = as_user(newcomer).get("/")
    assert next(c for t, c in response.context["panels"] if "alerts" in c)["alerts"]
