import pytest
from django.urls import reverse

from .conftest import make_alumnus, make_visit


@pytest.mark.parametrize("size", [5, 30])
def test_it_renders_the_directory_in_bounded_queries(
    as_user, coordinator, centre, django_assert_max_num_queries, size
):
    for i in range(size):
        make_alumnus(centre, coordinator, consent=i % 2 == 0)
    client = as_user(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("alumni:directory"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 30])
def test_it_renders_the_visits_list_in_bounded_queries(
    as_user, coordinator, centre, django_assert_max_num_queries, size
):
    alumni = [make_alumnus(centre, coordinator) for _ in range(3)]
    for i in range(size):
        make_visit(centre, alumni[: 1 + i % 3], days=1 + i, session_id=i + 1)
    client = as_user(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("alumni:visits"))
    assert response.status_code == 200 and "Visits" in response.text


@pytest.mark.parametrize("size", [5, 30])
def test_it_renders_follow_ups_and_home_in_bounded_queries(
    as_user, coordinator, centre, django_assert_max_num_queries, size
):
    for _ in range(size):
        make_alumnus(centre, coordinator, days_ago=30)
    client = as_user(coordinator)
    with django_assert_max_num_queries(12):
        client.get(reverse("alumni:followups"))
    with django_assert_max_num_queries(14):
        client.get("/")
