"""The on-duty rota: who is on duty decides who hears a help request at once."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from checkins import actions as checkin_actions
from kendra import actions as kendra_actions
from kendra.models import Membership, Role
from kendra.notify import outbox
from kendra.notify.models import Notification
from mentors.models import Pairing
from rota.models import DutyShift, Shift, shift_at

from ..checkins.conftest import at
from ..factories import member
from ..mentors.conftest import make_mentor, make_pairing
from .factories import put_on_duty


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "queue_send", lambda pks: list(pks))


@pytest.fixture
def bala(centre):
    return member(Role.COUNSELOR, centre, username="bala", first_name="Bala", last_name="")


def membership(user, centre):
    return Membership.objects.get(user=user, centre=centre, role=Role.COUNSELOR)


def test_a_night_belongs_to_the_day_it_starts():
    assert shift_at(at("2026-12-02 07:59")) == (dt.date(2026, 12, 1), Shift.NIGHT)
    assert shift_at(at("2026-12-02 08:00")) == (dt.date(2026, 12, 2), Shift.DAY)
    assert shift_at(at("2026-12-02 20:00")) == (dt.date(2026, 12, 2), Shift.NIGHT)


def test_the_rota_decides_who_hears_a_help_request(centre, resident, counselor, bala):
    put_on_duty(centre, counselor, at("2026-12-02 12:00"))  # anjali by day
    put_on_duty(centre, bala, at("2026-12-02 22:00"))  # bala by night
    for when in ("2026-12-02 12:00", "2026-12-03 02:00"):
        with time_machine.travel(at(when), tick=False):
            checkin_actions.ask_for_help(resident)
    by_day, by_night = (
        set(
            Notification.objects.filter(kind="help", slot=slot).values_list(
                "recipient_user__username", flat=True
            )
        )
        for slot in Notification.objects.filter(kind="help")
        .order_by("pk")
        .values_list("slot", flat=True)
        .distinct()
    )
    assert by_day == {"anjali"} and by_night == {"bala"}


def test_an_ended_membership_is_not_on_duty(centre, resident, counselor):
    put_on_duty(centre, counselor)
    Membership.objects.filter(user=counselor).update(is_active=False)  # no history on Membership
    assert not DutyShift.objects.on_duty(centre.pk).exists()


# --- the page ------------------------------------------------------------------------


def post(client, centre, **data):
    return client.post(reverse("rota:rota"), {"centre": centre.pk, **data})


def test_a_counselor_puts_someone_on_nights_for_a_week(centre, counselor, bala, as_user):
    first = timezone.localdate() + dt.timedelta(days=1)
    response = post(
        as_user(counselor),
        centre,
        membership=membership(bala, centre).pk,
        shift="night",
        first=first.isoformat(),
        last=(first + dt.timedelta(days=6)).isoformat(),
    )
    assert response.status_code == 302
    shifts = DutyShift.objects.current()
    assert shifts.count() == 7 and {s.shift for s in shifts} == {"night"}
    page = as_user(counselor).get(reverse("rota:rota")).text
    assert page.count("Bala") >= 7


@pytest.mark.parametrize(
    "data, message",
    [
        ({"shift": "night", "first": "+1"}, "Choose who is on duty."),
        ({"membership": "me", "first": "+1"}, "Choose the day or the night shift."),
        ({"membership": "me", "shift": "day"}, "Give the first day."),
        (
            {"membership": "me", "shift": "day", "first": "+3", "last": "+1"},
            "The last day is before the first day, so these shifts would be empty.",
        ),
        ({"membership": "me", "shift": "day", "first": "-1"}, "The rota is for today and the"),
        (
            {"membership": "me", "shift": "night", "first": "+1", "last": "+4"},
            "Bala is already on duty: Night (20:00 to 8:00), ",
        ),
    ],
)
def test_overlapping_or_empty_shifts_are_refused_in_words_and_nothing_is_saved(
    centre, counselor, bala, as_user, data, message
):
    today = timezone.localdate()
    DutyShift.objects.create(
        centre=centre,
        date=today + dt.timedelta(days=3),
        shift="night",
        membership=membership(bala, centre),
    )
    values = {}
    for key, value in data.items():
        if key == "membership":
            value = membership(counselor, centre).pk
        elif key in ("first", "last"):
            value = (today + dt.timedelta(days=int(value))).isoformat()
        values[key] = value
    response = post(as_user(counselor), centre, **values)
    assert response.status_code == 400
    assert message in response.text and "Nothing was saved" in response.text
    assert DutyShift.objects.count() == 1


def test_removing_a_shift_asks_first_and_keeps_it_with_a_note(centre, counselor, as_user):
    shift = put_on_duty(centre, counselor)
    client = as_user(counselor)
    url = reverse("rota:shift_remove", args=[shift.pk])
    assert "Take this shift off the rota?" in client.get(url).text
    assert DutyShift.objects.current().count() == 1  # a GET changes nothing
    client.post(url)
    shift.refresh_from_db()
    assert shift.ended_at and shift.end_note and not DutyShift.objects.current().exists()


def test_the_rota_is_for_counselors_and_centre_admins_of_the_centre(
    centre, counselor, centre_admin, peer_leader, family_user, outsider, as_user
):
    shift = put_on_duty(centre, counselor)
    assert as_user(counselor).get(reverse("rota:rota")).status_code == 200
    assert as_user(centre_admin).get(reverse("rota:rota")).status_code == 200
    assert as_user(peer_leader).get(reverse("rota:rota")).status_code == 403
    assert as_user(family_user).get(reverse("rota:rota")).status_code == 404
    url = reverse("rota:shift_remove", args=[shift.pk])
    assert as_user(outsider).post(url).status_code == 404
    assert url not in as_user(outsider).get(reverse("rota:rota")).text
    assert DutyShift.objects.current().count() == 1


@pytest.mark.parametrize("size", [2, 20])
def test_the_rota_page_costs_a_bounded_number_of_queries(
    centre, counselor, as_user, django_assert_max_num_queries, size
):
    today = timezone.localdate()
    people = [member(Role.COUNSELOR, centre) for _ in range(size)]
    DutyShift.objects.bulk_create(
        DutyShift(
            centre=centre,
            date=today + dt.timedelta(days=n),
            shift=shift,
            membership=membership(people[n % size], centre),
        )
        for n in range(28)
        for shift in ("day", "night")
    )
    client = as_user(counselor)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("rota:rota")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200


# --- home ----------------------------------------------------------------------------


def test_the_counselor_home_shows_today_and_tonight(centre, counselor, bala, as_user):
    with time_machine.travel(at("2026-12-02 10:00"), tick=True):
        put_on_duty(centre, counselor, at("2026-12-02 10:00"))
        put_on_duty(centre, bala, at("2026-12-02 21:00"))
        page = as_user(counselor).get(reverse("home")).text
    assert "Counselor on duty" in page and "Nobody is on duty tonight" not in page
    today, tonight = page.index("Today:"), page.index("Tonight:")
    assert page.index("Test", today) < tonight < page.index("Bala", tonight)  # anjali is "Test"


def test_a_gap_tonight_is_a_warning_for_the_centre_admin(centre, counselor, centre_admin, as_user):
    with time_machine.travel(at("2026-12-02 10:00"), tick=True):
        put_on_duty(centre, counselor, at("2026-12-02 10:00"))
        admin_page = as_user(centre_admin).get(reverse("home")).text
        counselor_page = as_user(counselor).get(reverse("home")).text
    assert "Nobody is on duty tonight" in admin_page
    assert "Nobody is on duty tonight" not in counselor_page


# --- ending a membership -------------------------------------------------------------


def test_ending_a_membership_ends_that_persons_rota_slots_with_a_note(
    centre, counselor, centre_admin
):
    past = DutyShift.objects.create(
        centre=centre,
        date=timezone.localdate() - dt.timedelta(days=3),
        shift="day",
        membership=membership(counselor, centre),
    )
    coming = put_on_duty(centre, counselor, timezone.now() + dt.timedelta(days=2))
    assert kendra_actions.end_membership(
        membership(counselor, centre), centre_admin, "left the centre"
    )
    coming.refresh_from_db()
    past.refresh_from_db()
    assert (
        coming.ended_at and "left the centre" in coming.end_note and coming.ended_by == centre_admin
    )
    assert past.ended_at is None  # what happened stays as it was
    assert not kendra_actions.end_membership(membership(counselor, centre), centre_admin)


def test_ending_a_mentors_membership_ends_their_pairings_in_the_history(
    centre, resident, mentor_user, centre_admin
):
    pairing = make_pairing(make_mentor(centre, user=mentor_user), resident)
    mentor_membership = Membership.objects.get(user=mentor_user, role=Role.MENTOR)
    kendra_actions.end_membership(mentor_membership, centre_admin, "moved away")
    pairing.refresh_from_db()
    assert pairing.ended_at and pairing.end_reason == Pairing.EndReason.MENTOR_STEPPED_BACK
    assert "moved away" in pairing.end_note
    latest = pairing.history.order_by("-history_date").first()
    assert latest.ended_at == pairing.ended_at and latest.end_note == pairing.end_note


def test_unticking_active_in_the_admin_ends_the_membership_the_same_way(centre, counselor, client):
    from ..factories import UserFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    coming = put_on_duty(centre, counselor, timezone.now() + dt.timedelta(days=1))
    m = membership(counselor, centre)
    client.force_login(root, backend="kendra.backends.MembershipBackend")
    url = reverse("admin:kendra_membership_change", args=[m.pk])
    response = client.post(url, {"user": counselor.pk, "centre": centre.pk, "role": "counselor"})
    assert response.status_code == 302
    m.refresh_from_db()
    coming.refresh_from_db()
    assert not m.is_active and coming.ended_at and coming.end_note
