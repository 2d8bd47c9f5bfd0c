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


# The order and roles of the bar as they were when every app's sections sat in one table
# in kendra/navigation.py; each app now registers its own (AppConfig.ready).
C, P, M, A, F, ADMIN = (
    "counselor",
    "peer_leader",
    "mentor",
    "alumni_coordinator",
    "family_member",
    "centre_admin",
)
EXPECTED_SECTIONS = [
    ("groups:today", {C}),
    ("checkins:grid", {C}),
    ("checkins:alerts", {C, M, ADMIN}),
    ("rota:rota", {C, ADMIN}),
    ("resident_list", {C, ADMIN}),
    ("import_upload", {ADMIN}),
    ("groups:list", {C, P, ADMIN}),
    ("mentors:queue", {P}),
    ("mentors:pairings", {P, C, ADMIN}),
    ("mentors:my_mentees", {M}),
    ("alumni:directory", {A, ADMIN}),
    ("alumni:visits", {A}),
    ("alumni:followups", {A}),
    ("alumni:published_stories", {C, P, M, A, ADMIN}),
    ("families:groups", {C, ADMIN}),
    ("families:schedule", {F}),
    ("reports:monthly", {ADMIN, C}),
    ("audit_log", {ADMIN}),
]


def test_every_app_registers_its_sections_in_the_same_order_for_the_same_roles():
    got = [(s.url_name, set(s.roles)) for s in navigation.sections()]
    expected_names = {name for name, _ in EXPECTED_SECTIONS}
    # Sections of apps added since (e.g. staff pages) may sit anywhere; these keep theirs.
    assert [item for item in got if item[0] in expected_names] == EXPECTED_SECTIONS
