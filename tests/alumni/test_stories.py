import pytest
from django.urls import reverse

from alumni import actions
from alumni.models import SuccessStory
from kendra.models import AuditEvent, Consent, Role
from tests.factories import member

from .conftest import make_alumnus


def write(profile, by, title="Finding work again", text="It took a year."):
    return SuccessStory.objects.create(
        profile=profile, centre=profile.centre, title=title, text=text, written_by=by
    )


@pytest.fixture
def story(alumnus, coordinator):
    return write(alumnus, coordinator)


@pytest.fixture
def published(story, coordinator):
    return actions.publish_story(story, coordinator, True, "Agreed on the phone")


def test_it_saves_a_draft_written_with_the_alumnus(as_user, coordinator, alumnus):
    response = as_user(coordinator).post(
        reverse("alumni:story_create"),
        {"profile": alumnus.pk, "title": "Ek saal", "text": "My year.", "written_with": "Deepak"},
    )
    story = SuccessStory.objects.get()
    assert response.status_code == 302 and not story.published and story.consent is None
    assert story.written_by == coordinator and story.centre == alumnus.centre
    assert AuditEvent.objects.filter(action="alumni.story_written").exists()


def test_it_refuses_a_story_without_title_or_text_and_saves_nothing(as_user, coordinator, alumnus):
    response = as_user(coordinator).post(reverse("alumni:story_create"), {"profile": alumnus.pk})
    assert "Give the story a title." in response.text
    assert "Write the story itself." in response.text
    assert not SuccessStory.objects.exists()


def test_it_refuses_to_publish_without_consent_and_saves_nothing(as_user, coordinator, story):
    response = as_user(coordinator).post(reverse("alumni:story_publish", args=[story.pk]), {})
    assert response.status_code == 200
    assert "published only with the alumnus" in response.text
    story.refresh_from_db()
    assert not story.published and story.consent is None
    assert not Consent.objects.filter(purpose=Consent.Purpose.STORY_PUBLICATION).exists()


def test_it_records_one_consent_for_the_story_when_published(as_user, coordinator, story):
    as_user(coordinator).post(
        reverse("alumni:story_publish", args=[story.pk]),
        {"consent_given": "on", "note": "Read it together"},
    )
    story.refresh_from_db()
    consent = story.consent
    assert story.published and story.published_at
    assert consent.purpose == Consent.Purpose.STORY_PUBLICATION
    assert consent.resident == story.profile.resident and consent.given_by == coordinator
    assert consent.note == "Read it together" and consent.in_force
    assert AuditEvent.objects.filter(action="alumni.story_published").exists()


def test_it_gives_each_story_its_own_consent(coordinator, alumnus, published):
    second = actions.publish_story(write(alumnus, coordinator, "Two"), coordinator, True)
    assert second.consent_id != published.consent_id


def test_it_refuses_to_publish_a_story_twice(coordinator, published):
    with pytest.raises(actions.RuleBroken):
        actions.publish_story(published, coordinator, True)
    assert Consent.objects.filter(purpose=Consent.Purpose.STORY_PUBLICATION).count() == 1


def test_it_shows_a_published_story_to_every_staff_member_of_the_centre(
    request, as_user, published
):
    for who in ["counselor", "peer_leader", "mentor_user", "coordinator", "centre_admin"]:
        user = request.getfixturevalue(who)
        response = as_user(user).get(reverse("alumni:published_stories"))
        assert response.status_code == 200 and "Finding work again" in response.text, who


def test_it_never_shows_stories_to_family_members(as_user, family_user, published):
    assert as_user(family_user).get(reverse("alumni:published_stories")).status_code == 404


def test_it_shows_another_centre_none_of_our_stories(as_user, other_centre, published):
    stranger = member(Role.COUNSELOR, other_centre, username="farhan")
    response = as_user(stranger).get(reverse("alumni:published_stories"))
    assert response.status_code == 200 and "Finding work again" not in response.text


def test_it_keeps_drafts_off_the_stories_page(as_user, counselor, story):
    assert (
        "Finding work again" not in as_user(counselor).get(reverse("alumni:published_stories")).text
    )


def test_it_hides_a_story_at_once_when_consent_is_withdrawn(
    as_user, coordinator, counselor, published
):
    page = reverse("alumni:published_stories")
    assert "Finding work again" in as_user(counselor).get(page).text
    confirm = as_user(coordinator).get(reverse("alumni:story_withdraw", args=[published.pk]))
    assert "Yes, consent withdrawn" in confirm.text  # a confirmation first
    as_user(coordinator).post(reverse("alumni:story_withdraw", args=[published.pk]))
    assert "Finding work again" not in as_user(counselor).get(page).text
    published.refresh_from_db()
    assert published.consent.withdrawn_at and published.consent.withdrawn_by == coordinator
    assert SuccessStory.objects.filter(pk=published.pk).exists()  # nothing deleted
    assert AuditEvent.objects.filter(action="alumni.story_withdrawn").exists()
    story_page = as_user(coordinator).get(reverse("alumni:story", args=[published.pk]))
    assert "Consent withdrawn: hidden" in story_page.text


def test_it_hides_a_story_whose_consent_was_withdrawn_in_the_consent_ledger(
    as_user, counselor, published
):
    published.consent.withdraw(counselor)
    assert (
        "Finding work again" not in as_user(counselor).get(reverse("alumni:published_stories")).text
    )


def test_it_lets_a_draft_be_edited_but_not_a_published_story(as_user, coordinator, story, alumnus):
    client = as_user(coordinator)
    client.post(
        reverse("alumni:story_edit", args=[story.pk]),
        {"profile": alumnus.pk, "title": "New title", "text": "Longer text."},
    )
    story.refresh_from_db()
    assert story.title == "New title"
    assert AuditEvent.objects.filter(action="alumni.story_changed").exists()
    actions.publish_story(story, coordinator, True)
    client.post(
        reverse("alumni:story_edit", args=[story.pk]),
        {"profile": alumnus.pk, "title": "Changed after consent", "text": "x"},
    )
    story.refresh_from_db()
    assert story.title == "New title"


def test_it_offers_only_the_centres_alumni_when_writing(
    as_user, coordinator, other_centre, alumnus
):
    foreign = make_alumnus(other_centre, full_name="Elsewhere Person")
    response = as_user(coordinator).post(
        reverse("alumni:story_create"), {"profile": foreign.pk, "title": "T", "text": "x"}
    )
    assert response.status_code == 200 and not SuccessStory.objects.exists()


COORDINATOR_PAGES = ["alumni:stories", "alumni:story_create"]
STORY_PAGES = ["alumni:story", "alumni:story_edit", "alumni:story_publish"]


@pytest.mark.parametrize("name", COORDINATOR_PAGES)
def test_it_shows_story_lists_to_the_coordinator_only(
    request, as_user, coordinator, counselor, family_user, story, name
):
    assert as_user(coordinator).get(reverse(name)).status_code == 200
    assert as_user(counselor).get(reverse(name)).status_code == 403
    assert as_user(family_user).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", STORY_PAGES)
def test_it_applies_the_access_trio_to_a_story(
    as_user, coordinator, counselor, outsider, family_user, story, name
):
    url = reverse(name, args=[story.pk])
    assert as_user(coordinator).get(url).status_code == 200
    assert as_user(counselor).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(family_user).get(url).status_code == 404


def test_it_applies_the_access_trio_to_withdrawal(
    as_user, coordinator, counselor, outsider, published
):
    url = reverse("alumni:story_withdraw", args=[published.pk])
    assert as_user(outsider).post(url).status_code == 404
    assert as_user(counselor).post(url).status_code == 403
    published.refresh_from_db()
    assert published.is_visible
    assert as_user(coordinator).get(url).status_code == 200


def test_it_reads_published_stories_in_a_bounded_number_of_queries(
    as_user, counselor, coordinator, alumnus, django_assert_max_num_queries
):
    for size in (2, 12):
        while SuccessStory.objects.count() < size:
            actions.publish_story(write(alumnus, coordinator), coordinator, True)
        client = as_user(counselor)
        client.get("/")
        with django_assert_max_num_queries(12):
            response = client.get(reverse("alumni:published_stories"))
        assert response.text.count("Finding work again") == size
        client = as_user(coordinator)
        client.get("/")
        with django_assert_max_num_queries(12):
            assert client.get(reverse("alumni:stories")).status_code == 200
