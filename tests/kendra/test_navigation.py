import pytest
from django.urls import reverse

from kendra import navigation


@pytest.mark.parametrize(
    "fixture, sees, never",
    [
        ("counselor", ["Residents"], ["Audit log", "My schedule"]),
        ("centre_admin", ["Residents"], ["My schedule", "My mentees"]),
        ("peer_leader", [], ["Residents", "Audit log", "My schedule"]),
        ("coordinator", [], ["Residents", "My schedule"]),
        ("family_user", [], ["Residents", "Groups", "Pairings", "Alumni", "Audit log"]),
    ],
)
def test_it_shows_each_role_only_its_sections(request, as_user, fixture, sees, never):
    user = request.getfixturevalue(fixture)
    labels = [str(item["label"]) for item in navigation.sections_for(user)]
    page = as_user(user).get(reverse("home")).text
    for label in sees:
        assert label in labels and label in page
    for label in never:
        assert label not in labels


def test_it_tells_a_user_without_a_role_what_to_do(as_user, django_user_model):
    lonely = django_user_model.objects.create_user("lonely", password="x")
    assert "no role in any centre" in as_user(lonely).get(reverse("home")).text


def test_it_remembers_the_chosen_language(as_user, counselor, client):
    as_user(counselor).post(reverse("switch_language"), {"language": "hi", "next": "/"})
    counselor.profile.refresh_from_db()
    assert counselor.profile.language == "hi"
    fresh = client
    fresh.logout()
    fresh.force_login(counselor)
    assert 'lang="hi"' in fresh.get(reverse("home")).text


def test_it_refuses_an_offsite_next_url(client):
    response = client.post(
        reverse("switch_language"), {"language": "hi", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")
