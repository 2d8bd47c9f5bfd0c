import pytest
from django.db import connection

from kendra.models import Role

from .factories import CentreFactory, ResidentFactory, member

# smtp_server and gateway: mail and SMS servers on loopback for tests that deliver for real.
pytest_plugins = ["tests.loopback"]


# The slowest test files, run first: under pytest-xdist (make test: -n auto --dist
# worksteal) the long ones then start at once on every worker and the short ones fill the
# gaps at the end, instead of one long test starting last on a worker alone.
SLOWEST_FIRST = [
    "tests/security/test_hostile_input.py",
    "tests/browser/",
    "tests/checkins/test_worker.py",
    "tests/notify/test_delivery_worker.py",
    "tests/bench/",
    "tests/security/test_permission_matrix.py",
]


def _slowness(item):
    path = str(item.fspath)
    for rank, part in enumerate(SLOWEST_FIRST):
        if part in path:
            return rank
    return len(SLOWEST_FIRST)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    items.sort(key=_slowness)  # stable: each file's tests stay together and in order


@pytest.fixture(autouse=True, scope="session")
def _on_postgresql(django_db_setup, django_db_blocker):
    """Kendra is tested on the real PostgreSQL, never on an SQLite stand-in."""
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", (
            "Tests must run on PostgreSQL: set DATABASE_URL=postgres://… (make test does)."
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached panels of an earlier test (same ids,
    same day) must not be served to this one."""
    import contextlib

    from django.core.cache import cache

    with contextlib.suppress(Exception):  # no cache server: the pages compute everything
        cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English: a request that switched to Hindi must not leak on."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def centre(db):
    return CentreFactory(name="Navjeevan Kendra, Jaipur")


@pytest.fixture
def other_centre(db):
    return CentreFactory(name="Umeed Kendra, Lucknow")


@pytest.fixture
def counselor(centre):
    return member(Role.COUNSELOR, centre, username="anjali")


@pytest.fixture
def centre_admin(centre):
    return member(Role.CENTRE_ADMIN, centre, username="vikram", is_staff=True)


@pytest.fixture
def peer_leader(centre):
    return member(Role.PEER_LEADER, centre, username="rakesh")


@pytest.fixture
def mentor_user(centre):
    return member(Role.MENTOR, centre, username="suresh")


@pytest.fixture
def coordinator(centre):
    return member(Role.ALUMNI_COORDINATOR, centre, username="meena")


@pytest.fixture
def family_user(centre):
    return member(Role.FAMILY_MEMBER, centre, username="kamla")


@pytest.fixture
def outsider(other_centre):
    """A counselor, but of another centre: must see nothing of ours."""
    return member(Role.COUNSELOR, other_centre, username="farah")


@pytest.fixture
def resident(centre):
    return ResidentFactory(centre=centre, full_name="Rahul Sharma", preferred_name="Rahul")


@pytest.fixture
def as_user(client):
    """Sign the test client in as a given user: `as_user(counselor).get(url)`."""

    def sign_in(user):
        # The backend a real sign-in uses (force_login would take the first one, axes').
        client.force_login(user, backend="kendra.backends.MembershipBackend")
        return client

    return sign_in


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """A real Celery worker process consuming from this run's Redis db (tests/workers.py)."""
    from .workers import Worker, flush_redis, worker_env

    flush_redis()
    worker = Worker(worker_env(tmp_path), tmp_path / "worker.log")
    yield worker
    worker.stop()
