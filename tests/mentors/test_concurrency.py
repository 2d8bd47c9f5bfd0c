"""Two peer leaders assigning at the same moment, on PostgreSQL: exactly one wins."""

import threading
import time

import pytest
from django.db import connection

from mentors import actions
from mentors.models import Pairing
from tests.factories import ResidentFactory, member

from .conftest import make_mentor


@pytest.fixture
def slow_checks(monkeypatch):
    """Widen the window between checking and writing, so a missing lock would show."""
    real = actions.active_load

    def slow(mentor):
        load = real(mentor)
        time.sleep(0.3)
        return load

    monkeypatch.setattr(actions, "active_load", slow)


def race(*calls):
    """Run each call in its own thread and connection, all released together."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            start.wait()
            results[i] = call()
        except actions.PairingError as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_peer_leaders_cannot_both_pair_one_mentee(centre, slow_checks):
    leaders = [member("peer_leader", centre), member("peer_leader", centre)]
    first, second = make_mentor(centre), make_mentor(centre)
    mentee = ResidentFactory(centre=centre)
    results = race(
        lambda: actions.assign_mentor(first.pk, mentee.pk, leaders[0]),
        lambda: actions.assign_mentor(second.pk, mentee.pk, leaders[1]),
    )
    won = [r for r in results if isinstance(r, Pairing)]
    lost = [r for r in results if isinstance(r, actions.PairingError)]
    assert len(won) == 1 and len(lost) == 1
    assert "mentor" in str(lost[0])
    assert Pairing.objects.active().filter(mentee=mentee).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_peer_leaders_cannot_overfill_a_mentor(centre, slow_checks):
    leaders = [member("peer_leader", centre), member("peer_leader", centre)]
    mentor = make_mentor(centre, capacity=1)
    mentees = [ResidentFactory(centre=centre), ResidentFactory(centre=centre)]
    results = race(
        lambda: actions.assign_mentor(mentor.pk, mentees[0].pk, leaders[0]),
        lambda: actions.assign_mentor(mentor.pk, mentees[1].pk, leaders[1]),
    )
    won = [r for r in results if isinstance(r, Pairing)]
    lost = [r for r in results if isinstance(r, actions.PairingError)]
    assert len(won) == 1 and len(lost) == 1
    assert "the most they take" in str(lost[0])
    assert Pairing.objects.active().filter(mentor=mentor).count() == 1
