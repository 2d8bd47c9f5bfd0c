"""Pages opened by a token (check-in links, calendar feeds, invitations) are rate-limited
per token and per client address; the "I need help now" press never is."""

import pytest
import time_machine
from django.urls import reverse

from checkins.models import Alert, AlertEvent
from families import actions as family_actions
from tests.checkins.conftest import at, make_plan
from tests.families.conftest import link_family

MORNING = "2026-12-02 10:00"


@pytest.fixture(autouse=True)
def frozen():
    """One fixed minute: the counting window cannot roll over in the middle of a test."""
    with time_machine.travel(at(MORNING), tick=False) as traveller:
        yield traveller


@pytest.fixture
def small_limits(settings):
    settings.KENDRA_RATE_PER_TOKEN = "5/m"
    settings.KENDRA_RATE_PER_ADDRESS = "100/m"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("kendra.notify.outbox.queue_send", lambda pks: list(pks))


@pytest.fixture
def link(centre, resident):
    return reverse("checkins:answer", args=[make_plan(centre, resident=resident).new_link()])


def assert_refused_in_words(response):
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert "Too many requests" in response.text
    assert "Please wait a minute and try again." in response.text


def test_the_check_in_link_refuses_the_request_after_the_limit(client, small_limits, link):
    for _ in range(5):
        assert client.get(link).status_code == 200
    refused = client.get(link)
    assert_refused_in_words(refused)
    # The refusal still offers the help button, which is never refused.
    assert 'name="help"' in refused.text
    assert client.post(link, {"mood": "4", "craving": "1"}).status_code == 429


def test_the_default_limit_is_thirty_a_minute_per_link(client, link):
    for _ in range(30):
        assert client.get(link).status_code == 200
    assert_refused_in_words(client.get(link))


def test_other_links_and_other_addresses_are_counted_apart(client, small_limits, centre, link):
    for _ in range(6):
        client.get(link)
    assert client.get(link).status_code == 429
    other = reverse("checkins:answer", args=[make_plan(centre).new_link()])
    assert client.get(other).status_code == 200


def test_one_address_trying_many_links_is_refused(client, settings, centre):
    settings.KENDRA_RATE_PER_TOKEN = "100/m"
    settings.KENDRA_RATE_PER_ADDRESS = "5/m"
    guesses = [reverse("checkins:answer", args=[f"guessed-token-number-{n:04d}"]) for n in range(5)]
    assert [client.get(url).status_code for url in guesses] == [404] * 5
    feed = reverse("families:feed", args=["guessed-token-number-9999"])
    assert_refused_in_words(client.get(feed))
    # Someone else, elsewhere, is not refused.
    assert client.get(feed, REMOTE_ADDR="198.51.100.20").status_code == 404


def test_the_calendar_feed_is_limited_per_token(client, small_limits, family_user, resident):
    link_family(family_user, resident)
    url = reverse("families:feed", args=[family_actions.new_calendar_link(family_user)])
    for _ in range(5):
        assert client.get(url).status_code == 200
    assert_refused_in_words(client.get(url))


def test_the_invitation_page_is_limited_per_token(db, client, small_limits):
    url = reverse("families:accept", args=["no-such-invitation-token-here"])
    for _ in range(5):
        assert client.get(url).status_code == 404
    assert_refused_in_words(client.get(url))


def test_the_help_press_is_never_refused_and_every_press_counts(
    client, small_limits, link, resident, frozen
):
    for _ in range(6):
        client.get(link)
    assert client.get(link).status_code == 429
    first = client.post(link, {"help": "1"})
    assert first.status_code == 200
    alert = Alert.objects.get(resident=resident)
    # Taps within the minute count once, as the help path says, and none is refused.
    for _ in range(10):
        assert client.post(link, {"help": "1"}).status_code == 200
    presses = AlertEvent.objects.filter(alert=alert, kind__in=["pressed", "pressed_again"])
    assert presses.count() == 1
    # Pressed again and again, minutes apart, far beyond the page's limit: each one counts.
    for _ in range(8):
        frozen.shift(61)
        assert client.post(link, {"help": "1"}).status_code == 200
    assert presses.count() == 9
