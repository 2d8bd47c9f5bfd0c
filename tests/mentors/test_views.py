"""Pages: the access trio on every one, bounded queries, and what each role sees."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kendra.models import Role
from mentors.models import ContactLog, MentorProfile, Pairing
from tests.factories import ResidentFactory, member

from .conftest import make_mentor, make_pairing

PAIRING_PAGES = ["mentors:pairing_detail", "mentors:end", "mentors:reassign", "mentors:log_contact"]


def url(name, *args):
    return reverse(name, args=args)


# --- the access trio ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mentors:queue", "mentors:profiles", "mentors:profile_create"])
def test_centre_pages_follow_the_trio(as_user, peer_leader, coordinator, family_user, name):
    assert as_user(peer_leader).get(url(name)).status_code == 200
    assert as_user(coordinator).get(url(name)).status_code == 403
    assert as_user(family_user).get(url(name)).status_code == 403


def test_the_pairing_list_follows_the_trio(as_user, counselor, peer_leader, coordinator, pairing):
    assert as_user(counselor).get(url("mentors:pairings")).status_code == 200
    assert as_user(peer_leader).get(url("mentors:pairings")).status_code == 200
    assert as_user(coordinator).get(url("mentors:pairings")).status_code == 403


def test_the_pairing_list_shows_nothing_of_another_centre(as_user, outsider, pairing):
    member(Role.PEER_LEADER, outsider.memberships.get().centre, username="alok")
    response = as_user(outsider).get(url("mentors:pairings"))
    assert response.status_code == 200 and "Naveen" not in response.text


def test_suggestions_follow_the_trio(as_user, peer_leader, coordinator, outsider, mentor, mentee):
    for name in ["mentors:suggestions"]:
        assert as_user(peer_leader).get(url(name, mentee.pk)).status_code == 200
        assert as_user(coordinator).get(url(name, mentee.pk)).status_code == 403
        assert as_user(outsider).get(url(name, mentee.pk)).status_code == 404


def test_assign_follows_the_trio(as_user, peer_leader, coordinator, outsider, mentor, mentee):
    data = {"mentor": mentor.pk}
    assert as_user(outsider).post(url("mentors:assign", mentee.pk), data).status_code == 404
    assert as_user(coordinator).post(url("mentors:assign", mentee.pk), data).status_code == 403
    assert not Pairing.objects.exists()
    response = as_user(peer_leader).post(url("mentors:assign", mentee.pk), data)
    pairing = Pairing.objects.get()
    assert response.url == url("mentors:pairing_detail", pairing.pk)


def test_assign_needs_a_post(as_user, peer_leader, mentor, mentee):
    assert as_user(peer_leader).get(url("mentors:assign", mentee.pk)).status_code == 405


@pytest.mark.parametrize("name", PAIRING_PAGES)
def test_pairing_pages_are_hidden_from_outsiders_and_family(
    as_user, outsider, family_user, pairing, name
):
    assert as_user(outsider).get(url(name, pairing.pk)).status_code == 404
    assert as_user(family_user).get(url(name, pairing.pk)).status_code == 404


@pytest.mark.parametrize("name", PAIRING_PAGES)
def test_another_mentors_mentee_is_a_404(as_user, centre, pairing, name):
    other = member(Role.MENTOR, centre, username="other-mentor")
    make_mentor(centre, user=other)
    assert as_user(other).get(url(name, pairing.pk)).status_code == 404


@pytest.mark.parametrize(
    "name, peer_leader_code, counselor_code, mentor_code",
    [
        ("mentors:pairing_detail", 200, 200, 200),
        ("mentors:log_contact", 200, 403, 200),
        ("mentors:end", 200, 403, 403),
        ("mentors:reassign", 200, 403, 403),
    ],
)
def test_pairing_pages_by_role(
    as_user,
    peer_leader,
    counselor,
    mentor_user,
    coordinator,
    pairing,
    name,
    peer_leader_code,
    counselor_code,
    mentor_code,
):
    assert as_user(peer_leader).get(url(name, pairing.pk)).status_code == peer_leader_code
    assert as_user(counselor).get(url(name, pairing.pk)).status_code == counselor_code
    assert as_user(mentor_user).get(url(name, pairing.pk)).status_code == mentor_code
    assert as_user(coordinator).get(url(name, pairing.pk)).status_code == 403


def test_profile_edit_follows_the_trio(as_user, peer_leader, mentor_user, outsider, mentor):
    assert as_user(peer_leader).get(url("mentors:profile_edit", mentor.pk)).status_code == 200
    assert as_user(mentor_user).get(url("mentors:profile_edit", mentor.pk)).status_code == 403
    assert as_user(outsider).get(url("mentors:profile_edit", mentor.pk)).status_code == 404


def test_my_mentees_follows_the_trio(as_user, mentor_user, coordinator, family_user, pairing):
    assert "Naveen Chauhan" in as_user(mentor_user).get(url("mentors:my_mentees")).text
    assert as_user(coordinator).get(url("mentors:my_mentees")).status_code == 403
    assert as_user(family_user).get(url("mentors:my_mentees")).status_code == 403


def test_a_mentor_sees_only_their_own_mentees(as_user, centre, mentor_user, pairing):
    other = make_mentor(centre)
    make_pairing(other, ResidentFactory(centre=centre, full_name="Someone Else"))
    page = as_user(mentor_user).get(url("mentors:my_mentees")).text
    assert "Naveen Chauhan" in page and "Someone Else" not in page


# --- what the pages do -------------------------------------------------------------------


def test_the_queue_lists_unpaired_admitted_residents_newest_first(
    as_user, peer_leader, centre, pairing
):
    today = timezone.localdate()
    ResidentFactory(centre=centre, full_name="Old Arrival", admission_date=today - dt.timedelta(9))
    ResidentFactory(centre=centre, full_name="New Arrival", admission_date=today)
    page = as_user(peer_leader).get(url("mentors:queue")).text
    assert page.index("New Arrival") < page.index("Old Arrival")
    assert "Naveen Chauhan" not in page  # already paired
    assert "Suresh Kumar" not in page  # a mentor is not waiting for a mentor


def test_the_suggestions_page_shows_reasons_in_words(as_user, peer_leader, mentor, mentee):
    page = as_user(peer_leader).get(url("mentors:suggestions", mentee.pk)).text
    assert "Suresh Kumar" in page and "Speaks Hindi, like the mentee" in page
    assert "Also recovering from Alcohol" in page


def test_a_refused_assign_says_why_and_saves_nothing(as_user, centre, peer_leader, mentee):
    junior = make_mentor(centre, days_sober=30)
    response = as_user(peer_leader).post(
        url("mentors:assign", mentee.pk), {"mentor": junior.pk}, follow=True
    )
    assert "Nothing was saved." in response.text and "needs 180 days sober" in response.text
    assert not Pairing.objects.exists()


def test_a_mentor_of_another_centre_cannot_be_posted(as_user, other_centre, peer_leader, mentee):
    far = make_mentor(other_centre)
    response = as_user(peer_leader).post(
        url("mentors:assign", mentee.pk), {"mentor": far.pk}, follow=True
    )
    assert "Choose a mentor from this centre." in response.text
    assert not Pairing.objects.exists()


def test_ending_asks_for_a_reason_and_confirms(as_user, peer_leader, pairing):
    client = as_user(peer_leader)
    assert "Confirm: end pairing" in client.get(url("mentors:end", pairing.pk)).text
    response = client.post(url("mentors:end", pairing.pk), {"reason": ""})
    assert "Nothing was saved" in response.text
    pairing.refresh_from_db()
    assert pairing.is_active
    client.post(url("mentors:end", pairing.pk), {"reason": "completed", "note": "Well done"})
    pairing.refresh_from_db()
    assert pairing.end_reason == "completed"
    again = client.post(url("mentors:end", pairing.pk), {"reason": "mentee_left"}, follow=True)
    assert "This pairing has already ended." in again.text
    pairing.refresh_from_db()
    assert pairing.end_reason == "completed"


def test_reassigning_picks_a_new_mentor(as_user, centre, peer_leader, pairing):
    other = make_mentor(centre, full_name="Other Mentor")
    client = as_user(peer_leader)
    assert "Other Mentor" in client.get(url("mentors:reassign", pairing.pk)).text
    client.post(url("mentors:reassign", pairing.pk), {"mentor": other.pk, "note": "Closer"})
    pairing.refresh_from_db()
    assert pairing.end_reason == "reassigned"
    assert Pairing.objects.active().get(mentee=pairing.mentee).mentor == other


def test_a_mentor_logs_a_contact(as_user, mentor_user, pairing):
    response = as_user(mentor_user).post(
        url("mentors:log_contact", pairing.pk),
        {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "call",
            "mood": 4,
            "note": "Feeling stronger",
        },
    )
    assert response.url == url("mentors:my_mentees")
    contact = ContactLog.objects.get()
    assert contact.logged_by == mentor_user and contact.pairing == pairing


def test_a_contact_in_the_future_is_refused(as_user, mentor_user, pairing):
    later = timezone.localtime() + dt.timedelta(days=2)
    response = as_user(mentor_user).post(
        url("mentors:log_contact", pairing.pk),
        {"at": later.strftime("%Y-%m-%dT%H:%M"), "method": "call", "mood": 4},
    )
    assert "cannot be in the future" in response.text
    assert not ContactLog.objects.exists()


def test_contact_notes_are_seen_by_counselors_and_peer_leaders(
    as_user, counselor, peer_leader, mentor_user, pairing
):
    ContactLog.objects.create(pairing=pairing, method="call", mood=3, note="Misses home")
    for user in [counselor, peer_leader, mentor_user]:
        assert "Misses home" in as_user(user).get(url("mentors:pairing_detail", pairing.pk)).text


def test_the_pairing_list_filters_by_status_and_mentor(as_user, peer_leader, centre, pairing):
    other = make_mentor(centre)
    ended = make_pairing(
        other,
        ResidentFactory(centre=centre, full_name="Finished Mentee"),
        ended_at=timezone.now(),
        end_reason="completed",
    )
    client = as_user(peer_leader)
    active = client.get(url("mentors:pairings")).text
    assert "Naveen Chauhan" in active and "Finished Mentee" not in active
    done = client.get(url("mentors:pairings"), {"status": "ended"}).text
    assert "Finished Mentee" in done and "Naveen Chauhan" not in done
    by_mentor = client.get(url("mentors:pairings"), {"status": "all", "mentor": other.pk}).text
    assert "Finished Mentee" in by_mentor and "Naveen Chauhan" not in by_mentor
    assert ended.pk


def test_a_peer_leader_adds_a_mentor(as_user, peer_leader, centre, mentor_user):
    senior = ResidentFactory(centre=centre, full_name="Senior Resident")
    response = as_user(peer_leader).post(
        url("mentors:profile_create"),
        {"resident": senior.pk, "user": mentor_user.pk, "accepts_mentees": "on", "capacity": 2},
    )
    assert response.status_code == 302
    profile = MentorProfile.objects.get(resident=senior)
    assert profile.centre == centre and profile.capacity == 2 and profile.user == mentor_user


# --- bounded queries ---------------------------------------------------------------------


def populate(centre, size):
    mentors = [make_mentor(centre, capacity=10) for _ in range(max(2, size // 5))]
    for i in range(size):
        waiting = ResidentFactory(centre=centre)
        paired = ResidentFactory(centre=centre)
        pairing = make_pairing(mentors[i % len(mentors)], paired) if i % 3 == 0 else None
        if pairing:
            ContactLog.objects.create(pairing=pairing, method="call", mood=3)
        assert waiting


@pytest.mark.parametrize("size", [5, 40])
def test_the_queue_takes_bounded_queries(
    as_user, peer_leader, centre, size, django_assert_max_num_queries
):
    populate(centre, size)
    client = as_user(peer_leader)
    with django_assert_max_num_queries(11):
        assert client.get(url("mentors:queue")).status_code == 200


@pytest.mark.parametrize("size", [5, 40])
def test_suggestions_take_bounded_queries(
    as_user, peer_leader, centre, mentee, size, django_assert_max_num_queries
):
    populate(centre, size)
    client = as_user(peer_leader)
    with django_assert_max_num_queries(13):
        response = client.get(url("mentors:suggestions", mentee.pk))
    assert response.text.count("Assign ") >= 2


@pytest.mark.parametrize("size", [5, 40])
def test_the_pairing_list_takes_bounded_queries(
    as_user, peer_leader, centre, size, django_assert_max_num_queries
):
    populate(centre, size)
    client = as_user(peer_leader)
    with django_assert_max_num_queries(12):
        assert client.get(url("mentors:pairings")).status_code == 200


@pytest.mark.parametrize("value", ["x", " ", "1e309", "9" * 23, "4\x002", "²"])
def test_assign_answers_a_mentor_that_is_not_a_number_in_words(as_user, peer_leader, mentee, value):
    response = as_user(peer_leader).post(url("mentors:assign", mentee.pk), {"mentor": value})
    assert response.status_code == 302
    assert not Pairing.objects.exists()
    page = as_user(peer_leader).get(response["Location"])
    assert "Choose a mentor from this centre." in page.text
