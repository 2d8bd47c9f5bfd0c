import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kendra.models import AuditEvent, Resident
from tests.factories import ResidentFactory

TODAY = timezone.localdate


def admit_data(centre, **overrides):
    data = {
        "centre": centre.pk,
        "full_name": "Arjun Singh Rathore",
        "preferred_name": "Arjun",
        "gender": "male",
        "date_of_birth": "1994-03-02",
        "languages": ["hi", "raj"],
        "primary_substances": ["alcohol"],
        "phone": "98290 12345",
        "email": "",
        "preferred_language": "hi",
        "admission_date": (TODAY() - dt.timedelta(days=2)).isoformat(),
        "sobriety_date": (TODAY() - dt.timedelta(days=3)).isoformat(),
    }
    data.update(overrides)
    return data


def test_it_lists_residents_of_own_centre_only(as_user, counselor, resident, other_centre):
    ResidentFactory(centre=other_centre, full_name="Stranger Elsewhere")
    response = as_user(counselor).get(reverse("resident_list"))
    assert response.status_code == 200
    assert "Rahul Sharma" in response.text
    assert "Stranger Elsewhere" not in response.text


def test_it_searches_and_filters_by_status(as_user, counselor, centre):
    ResidentFactory(centre=centre, full_name="Deepak Meena")
    ResidentFactory(
        centre=centre,
        full_name="Deepak Saini",
        status=Resident.Status.DISCHARGED,
        discharge_date=TODAY(),
        discharge_reason="completed",
    )
    client = as_user(counselor)
    page = client.get(reverse("resident_list"), {"q": "deepak"}).text
    assert "Deepak Meena" in page and "Deepak Saini" not in page
    page = client.get(reverse("resident_list"), {"q": "deepak", "status": "all"}).text
    assert "Deepak Meena" in page and "Deepak Saini" in page


@pytest.mark.parametrize("size, pages", [(30, 2), (60, 3)])
def test_it_paginates_long_lists_in_bounded_queries(
    as_user, counselor, centre, django_assert_max_num_queries, size, pages
):
    ResidentFactory.create_batch(size, centre=centre)
    client = as_user(counselor)
    with django_assert_max_num_queries(10):
        first = client.get(reverse("resident_list"))
    assert f"Page 1 of {pages}" in first.text
    assert f"Page 2 of {pages}" in client.get(reverse("resident_list"), {"page": 2}).text


def test_it_hides_other_centres_residents_with_404(as_user, outsider, resident):
    client = as_user(outsider)
    for name in ["resident_detail", "resident_edit", "resident_discharge"]:
        assert client.get(reverse(name, args=[resident.pk])).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["resident_list", "resident_create", "resident_detail", "resident_edit", "resident_discharge"],
)
def test_it_keeps_family_members_off_every_resident_page(as_user, family_user, resident, name):
    args = [resident.pk] if name not in {"resident_list", "resident_create"} else []
    assert as_user(family_user).get(reverse(name, args=args)).status_code in {403, 404}


def test_it_answers_403_to_a_peer_leader_of_the_same_centre(as_user, peer_leader, resident):
    assert (
        as_user(peer_leader).get(reverse("resident_detail", args=[resident.pk])).status_code == 403
    )


def test_it_sends_anonymous_visitors_to_sign_in(client, resident):
    response = client.get(reverse("resident_detail", args=[resident.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_admits_a_resident(as_user, counselor, centre):
    response = as_user(counselor).post(reverse("resident_create"), admit_data(centre))
    resident = Resident.objects.get(full_name="Arjun Singh Rathore")
    assert response.status_code == 302 and response["Location"] == resident.get_absolute_url()
    assert resident.phone == "+919829012345"
    assert resident.languages == ["hi", "raj"]
    assert resident.centre == centre and resident.is_admitted
    assert AuditEvent.objects.filter(
        action="resident.admitted", object_id=str(resident.pk)
    ).exists()


def test_it_cannot_admit_into_another_centre(as_user, counselor, other_centre):
    response = as_user(counselor).post(reverse("resident_create"), admit_data(other_centre))
    assert response.status_code == 200
    assert not Resident.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"admission_date": (TODAY() + dt.timedelta(days=1)).isoformat()},
            "admission_date",
            "cannot be in the future",
        ),
        (
            {"sobriety_date": "1990-01-01", "date_of_birth": "1994-03-02"},
            "sobriety_date",
            "cannot be before the date of birth",
        ),
        ({"phone": "12345"}, "phone", "10-digit mobile number"),
        ({"full_name": " "}, "full_name", "This field is required"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(
    as_user, counselor, centre, overrides, field, message
):
    response = as_user(counselor).post(reverse("resident_create"), admit_data(centre, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Nothing was saved" in response.text
    assert not Resident.objects.exists()


def test_it_refuses_a_duplicate_phone_in_the_same_centre(as_user, counselor, centre):
    ResidentFactory(centre=centre, phone="+919829012345")
    response = as_user(counselor).post(reverse("resident_create"), admit_data(centre))
    assert "already has this phone number" in " ".join(response.context["form"].errors["phone"])
    assert Resident.objects.count() == 1


def test_it_allows_the_same_phone_in_another_centre(as_user, counselor, centre, other_centre):
    ResidentFactory(centre=other_centre, phone="+919829012345")
    as_user(counselor).post(reverse("resident_create"), admit_data(centre))
    assert Resident.objects.count() == 2


def test_it_edits_a_resident(as_user, counselor, resident):
    data = admit_data(resident.centre, full_name="Rahul Kumar Sharma")
    data.pop("centre")
    response = as_user(counselor).post(reverse("resident_edit", args=[resident.pk]), data)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.full_name == "Rahul Kumar Sharma"


def test_it_discharges_and_keeps_the_record(as_user, counselor, resident):
    client = as_user(counselor)
    response = client.post(
        reverse("resident_discharge", args=[resident.pk]),
        {
            "discharge_date": TODAY().isoformat(),
            "discharge_reason": "completed",
            "discharge_note": "",
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.status == Resident.Status.DISCHARGED
    assert resident.discharge_reason == "completed"
    assert client.get(reverse("resident_detail", args=[resident.pk])).status_code == 200
    assert "Rahul Sharma" in client.get(reverse("resident_list"), {"status": "discharged"}).text


def test_it_refuses_a_discharge_before_admission(as_user, counselor, resident):
    before = (resident.admission_date - dt.timedelta(days=1)).isoformat()
    response = as_user(counselor).post(
        reverse("resident_discharge", args=[resident.pk]),
        {"discharge_date": before, "discharge_reason": "completed"},
    )
    assert "cannot be before the admission date" in response.text
    resident.refresh_from_db()
    assert resident.is_admitted


def test_it_refuses_a_discharge_without_a_reason(as_user, counselor, resident):
    response = as_user(counselor).post(
        reverse("resident_discharge", args=[resident.pk]),
        {"discharge_date": TODAY().isoformat(), "discharge_reason": ""},
    )
    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.is_admitted


def test_it_offers_no_delete_anywhere(as_user, resident, django_user_model):
    # Even the installation's operators, the only people let into Django admin.
    root = django_user_model.objects.create_superuser("root", "root@example.in", "pw-for-tests")
    client = as_user(root)
    page = client.get(reverse("admin:kendra_resident_change", args=[resident.pk]))
    assert page.status_code == 200
    assert (
        client.get(reverse("admin:kendra_resident_delete", args=[resident.pk])).status_code == 403
    )


def test_django_admin_is_closed_to_the_centre_admin(as_user, centre_admin, resident, other_centre):
    """Its forms do not follow Kendra's access rules (issue 19): closed, not narrowed."""
    stranger = ResidentFactory(centre=other_centre, full_name="Stranger Elsewhere")
    client = as_user(centre_admin)
    for url in (
        reverse("admin:kendra_resident_changelist"),
        reverse("admin:kendra_resident_change", args=[resident.pk]),
        reverse("admin:kendra_resident_change", args=[stranger.pk]),
    ):
        page = client.get(url, follow=True)
        assert page.status_code == 403, url
        assert "Rahul Sharma" not in page.text and "Stranger Elsewhere" not in page.text


def test_it_records_who_viewed_a_resident(as_user, counselor, resident):
    as_user(counselor).get(reverse("resident_detail", args=[resident.pk]))
    event = AuditEvent.objects.get(action="resident.viewed")
    assert event.user == counselor and event.resident == resident
