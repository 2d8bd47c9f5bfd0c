import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import FamilyGroup, FamilyMeeting
from kendra.models import AuditEvent

from .conftest import make_meeting


def day(n=3):
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def meeting(family):
    return make_meeting(group=family, topic="Cravings")


@pytest.fixture
def session(resident):
    return make_meeting(resident=resident, topic="Home visit")


PAGES = [
    ("families:groups", lambda o: []),
    ("families:group_create", lambda o: []),
    ("families:group_detail", lambda o: [o["family"].pk]),
    ("families:group_edit", lambda o: [o["family"].pk]),
    ("families:meeting_create", lambda o: [o["family"].pk]),
    ("families:meeting_edit", lambda o: [o["meeting"].pk]),
    ("families:meeting_cancel", lambda o: [o["meeting"].pk]),
    ("families:resident_family", lambda o: [o["resident"].pk]),
    ("families:invite", lambda o: [o["resident"].pk]),
    ("families:session_create", lambda o: [o["resident"].pk]),
    ("families:revoke", lambda o: [o["link"].pk]),
]


@pytest.fixture
def objects(family, meeting, resident, family_user):
    return {
        "family": family,
        "meeting": meeting,
        "resident": resident,
        "link": family_user.family_links.get(),
    }


@pytest.mark.parametrize("name, args", PAGES)
def test_it_opens_staff_pages_for_the_counselor_only(
    as_user, client, objects, counselor, peer_leader, outsider, name, args
):
    url = reverse(name, args=args(objects))
    assert as_user(counselor).get(url).status_code == 200
    client.logout()
    expected_for_less = 403
    assert as_user(peer_leader).get(url).status_code == expected_for_less
    client.logout()
    # Outsiders never learn that an object exists; on a list page they see only their own.
    response = as_user(outsider).get(url)
    if args(objects):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert objects["family"].name not in response.text
        assert objects["resident"].full_name not in response.text


def test_it_creates_a_group_and_generates_its_meetings(as_user, counselor, centre, resident):
    response = as_user(counselor).post(
        reverse("families:group_create"),
        {
            "centre": centre.pk,
            "name": "Saturday parents' circle",
            "audience": "parents",
            "weekday": "5",
            "start_time": "10:30",
            "duration_minutes": "90",
            "place": "Hall 2",
            "online_link": "",
            "residents": [resident.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    group = FamilyGroup.objects.get()
    assert list(group.residents.all()) == [resident]
    generated = group.meetings.all()
    assert 5 <= generated.count() <= 7
    assert all(timezone.localtime(m.starts_at).weekday() == 5 for m in generated)
    assert AuditEvent.objects.filter(action="family_group.created").exists()


def test_it_refuses_a_group_link_that_is_not_http(as_user, counselor, centre):
    response = as_user(counselor).post(
        reverse("families:group_create"),
        {
            "centre": centre.pk,
            "name": "Online circle",
            "audience": "all",
            "duration_minutes": "60",
            "online_link": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    assert "must start with https://" in response.text
    assert not FamilyGroup.objects.exists()


def test_it_refuses_a_meeting_that_ends_before_it_starts(as_user, counselor, family):
    response = as_user(counselor).post(
        reverse("families:meeting_create", args=[family.pk]),
        {"date": day(), "start": "11:00", "end": "10:00", "place": "Hall 2"},
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.text
    assert "Nothing was saved" in response.text
    assert not FamilyMeeting.objects.exists()


def test_it_refuses_a_meeting_link_that_is_not_http(as_user, counselor, family):
    response = as_user(counselor).post(
        reverse("families:meeting_create", args=[family.pk]),
        {"date": day(), "start": "10:00", "end": "11:00", "online_link": "ftp://files.example"},
    )
    assert "must start with https://" in response.text
    assert not FamilyMeeting.objects.exists()


def test_it_adds_a_meeting_by_hand(as_user, counselor, family):
    response = as_user(counselor).post(
        reverse("families:meeting_create", args=[family.pk]),
        {
            "date": day(),
            "start": "10:00",
            "end": "11:30",
            "topic": "Boundaries",
            "place": "",
            "online_link": "https://meet.example.in/abc",
        },
    )
    assert response.status_code == 302
    meeting = FamilyMeeting.objects.get()
    assert timezone.localtime(meeting.starts_at).hour == 10
    assert meeting.scheduled_for is None and meeting.sequence == 0


def test_it_adds_a_family_session_for_a_resident(as_user, counselor, resident):
    as_user(counselor).post(
        reverse("families:session_create", args=[resident.pk]),
        {"date": day(), "start": "15:00", "end": "16:00", "place": "Room 1"},
    )
    assert FamilyMeeting.objects.get().resident == resident


def test_it_marks_a_meeting_moved_when_the_place_changes(as_user, counselor, meeting):
    local = timezone.localtime(meeting.starts_at)
    as_user(counselor).post(
        reverse("families:meeting_edit", args=[meeting.pk]),
        {
            "date": local.date().isoformat(),
            "start": local.strftime("%H:%M"),
            "end": timezone.localtime(meeting.ends_at).strftime("%H:%M"),
            "topic": "Cravings",
            "place": "Hall 3",
        },
    )
    meeting.refresh_from_db()
    assert meeting.place == "Hall 3" and meeting.place_changed
    assert meeting.moved_from is None and meeting.sequence == 1


def test_it_asks_for_a_reason_before_cancelling(as_user, counselor, meeting):
    client = as_user(counselor)
    url = reverse("families:meeting_cancel", args=[meeting.pk])
    assert "Cancel this meeting?" in client.get(url).text
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == FamilyMeeting.Status.PLANNED
    client.post(url, {"reason": "Holi holiday"})
    meeting.refresh_from_db()
    assert meeting.status == FamilyMeeting.Status.CANCELLED
    assert meeting.cancel_reason == "Holi holiday" and meeting.sequence == 1


def test_it_bounds_the_family_groups_page_queries(
    as_user, counselor, centre, resident, django_assert_max_num_queries
):
    client = as_user(counselor)
    url = reverse("families:groups")

    def grow(n):
        for i in range(n):
            group = FamilyGroup.objects.create(centre=centre, name=f"Group {i}")
            group.residents.add(resident)
            make_meeting(group=group, days=i % 10 + 1)
            make_meeting(resident=resident, days=i % 10 + 1)

    grow(2)
    with django_assert_max_num_queries(12):
        client.get(url)
    grow(20)
    with django_assert_max_num_queries(12):
        client.get(url)


def test_it_bounds_the_group_page_queries(
    as_user, counselor, family, django_assert_max_num_queries
):
    client = as_user(counselor)
    url = reverse("families:group_detail", args=[family.pk])
    make_meeting(group=family)
    with django_assert_max_num_queries(12):
        client.get(url)
    for n in range(30):
        make_meeting(group=family, days=n + 1)
        make_meeting(group=family, days=-(n + 1))
    with django_assert_max_num_queries(12):
        client.get(url)


def test_it_keeps_a_discharged_residents_family_in_the_group_on_edit(
    as_user, counselor, family, resident
):
    resident.status = "discharged"
    resident.discharge_date = timezone.localdate()
    resident.discharge_reason = "completed"
    resident.save()
    url = reverse("families:group_edit", args=[family.pk])
    page = as_user(counselor).get(url).text
    assert resident.display_name in page


def test_it_links_the_family_page_from_the_resident_page(as_user, counselor, family, resident):
    page = as_user(counselor).get(reverse("resident_detail", args=[resident.pk])).text
    assert reverse("families:resident_family", args=[resident.pk]) in page


def test_it_offers_change_and_cancel_for_coming_meetings_only(as_user, counselor, family, meeting):
    make_meeting(group=family, days=-5, topic="Long ago")
    page = as_user(counselor).get(reverse("families:group_detail", args=[family.pk])).text
    assert reverse("families:meeting_edit", args=[meeting.pk]) in page
    assert page.count('/edit/">Change') == 1
