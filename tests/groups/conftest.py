import pytest

from tests.factories import ResidentFactory

from .factories import PeerGroupFactory, SessionFactory, join


@pytest.fixture
def group(centre, counselor, peer_leader):
    return PeerGroupFactory(
        centre=centre, name="CBT for cravings", facilitator=counselor, co_leader=peer_leader
    )


@pytest.fixture
def roster(group, resident):
    others = [
        ResidentFactory(centre=group.centre, full_name="Amit Gupta"),
        ResidentFactory(centre=group.centre, full_name="Sanjay Meena"),
    ]
    join(group, resident, *others)
    return [resident, *others]


@pytest.fixture
def session(group, roster):
    return SessionFactory(group=group)
