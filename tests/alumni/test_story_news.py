"""Stories tell their author: publishing, changing and taking down a story tells its
alumnus (on their channel, and in Kendra when they have an account); withdrawing the
consent hides the story at once and tells the coordinators."""

import pytest
from django.urls import reverse

from alumni import actions
from alumni.models import SuccessStory
from kendra.models import Consent, Role
from kendra.notify.models import Notification
from mentors.models import MentorProfile
from tests.factories import member

from .conftest import make_alumnus


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("kendra.notify.outbox.queue_send", lambda pks, queue=None: pks)


@pytest.fixture
def author(centre, coordinator):
    profile = make_alumnus(centre, coordinator, full_name="Deepak Verma", phone="+919829000444")
    profile.resident.preferred_name = "Deepak"
    profile.resident.save()
    return profile


def write(profile, by):
    return SuccessStory.objects.create(
        profile=profile,
        centre=profile.centre,
        title="Finding work again",
        text="It took a year.",
        written_by=by,
    )


def news(profile):
    return Notification.objects.filter(kind="story_news", recipient_resident=profile.resident)


def test_publishing_tells_the_alumnus_on_their_channel_and_in_kendra(centre, coordinator, author):
    account = member(Role.MENTOR, centre, username="deepak")
    MentorProfile.objects.create(centre=centre, resident=author.resident, user=account)
    story = write(author, coordinator)
    actions.publish_story(story, coordinator, True)
    row = news(author).get()
    assert row.channel == "sms" and row.body == (
        "Namaste Deepak. Your story has been published. Ask us if you have any question."
    )
    assert "Finding work" not in row.body  # a phone's screen is seen by others
    assert Notification.objects.filter(
        kind="story_news", recipient_user=account, channel="in_app"
    ).exists()


def test_changing_a_draft_tells_the_alumnus(as_user, coordinator, author):
    story = write(author, coordinator)
    as_user(coordinator).post(
        reverse("alumni:story_edit", args=[story.pk]),
        {
            "profile": author.pk,
            "title": "Finding work",
            "text": "It took a year.",
            "written_with": "",
        },
    )
    assert "has been changed" in news(author).get().body


def test_taking_a_story_down_tells_the_alumnus_and_the_coordinators(
    centre, coordinator, author, as_user
):
    story = actions.publish_story(write(author, coordinator), coordinator, True)
    as_user(coordinator).post(reverse("alumni:story_withdraw", args=[story.pk]))
    assert not SuccessStory.objects.visible().exists()
    assert news(author).filter(body__contains="is no longer shown").count() == 1
    told = Notification.objects.get(kind="story_withdrawn")
    assert told.recipient_user == coordinator and "Deepak" in told.body


def test_a_consent_withdrawn_in_the_ledger_hides_the_story_at_once_and_tells_the_coordinator(
    centre, coordinator, author, centre_admin
):
    story = actions.publish_story(write(author, coordinator), coordinator, True)
    Consent.objects.get(pk=story.consent_id).withdraw(centre_admin)
    assert not SuccessStory.objects.visible().filter(pk=story.pk).exists()
    assert Notification.objects.filter(kind="story_withdrawn", recipient_user=coordinator).exists()
    # Withdrawn twice (a repeated click) tells nobody twice.
    Consent.objects.get(pk=story.consent_id).withdraw(centre_admin)
    assert Notification.objects.filter(kind="story_withdrawn").count() == 1
