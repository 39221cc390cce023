from contextlib import contextmanager

import pytest
from django.db import connections, transaction
from django.test.utils import override_settings
from django.utils import translation

from accounts import roles
from cms.services import site_ensure_home_pages
from tests.factories import UserFactory

ROLE_USERS = {
    "trainer": roles.TRAINERS,
    "trainer2": roles.TRAINERS,
    "editor": roles.EDITORS,
    "manager": roles.MANAGERS,
    "officer": roles.DISTRICT_OFFICERS,
    "promoter": roles.PROMOTERS,
}


DEMO_PASSWORD = "demo-pass"


# The module-scoped fixtures holding a shared state at the moment (see shared_state).
_SHARED_STATES: list[str] = []


@contextmanager
def shared_state(request, django_db_blocker, seed):
    """Data written once (by ``seed``) for several tests that read it or add to it.

    For module-scoped fixtures: ``seed`` writes inside a transaction that each test's
    own transaction (the `db` fixture) nests in as a savepoint, so every test starts
    from the seeded state and whatever it changes is rolled back; when the fixture
    ends (after the module's last test) the seeded state is rolled back too, and the
    next module finds the database as the migrations left it. The same on SQLite and
    PostgreSQL; not for `transactional_db` tests (they commit and flush).

    Every test of such a module must request the fixture: one that did not would
    find the state all the same (`shared_state_requested` fails it instead).
    """
    with django_db_blocker.unblock():
        outer = {alias: transaction.atomic(using=alias) for alias in connections}
        for atomic in outer.values():
            # As in Django's TestCase: code under test may open durable blocks.
            atomic._from_testcase = True
            atomic.__enter__()
    try:
        # Seeded as the tests would: services speak English (`english_messages`).
        with django_db_blocker.unblock(), translation.override("en"):
            seed()
        _SHARED_STATES.append(request.fixturename)
        yield
    finally:
        if request.fixturename in _SHARED_STATES:
            _SHARED_STATES.remove(request.fixturename)
        with django_db_blocker.unblock():
            for alias, atomic in reversed(outer.items()):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


# What makes a test use the database (as pytest-django decides it).
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


def _uses_database(item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db") or fixtures & DATABASE_FIXTURES)


@pytest.fixture(scope="session", autouse=True)
def migrated_state(request, django_db_blocker):
    """What the migrations wrote in each test database, serialized as a serialized
    rollback keeps it, taken before any test of this process could empty it (for
    modules that commit data once and put the database back afterwards: see
    tests/browser/conftest.committed_live_server). A run without a database test
    creates no database for it."""
    if not any(_uses_database(item) for item in request.session.items):
        return {}
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        return {
            alias: getattr(connections[alias], "_test_serialized_contents", None)
            or connections[alias].creation.serialize_db_to_string()
            for alias in connections
        }


@pytest.fixture(autouse=True)
def shared_state_requested(request):
    """A test in a module with a shared state (see shared_state) must ask for it."""
    if missing := [name for name in _SHARED_STATES if name not in request.fixturenames]:
        pytest.fail(
            f"{request.node.nodeid} runs inside the shared state of {missing} without "
            "requesting it: request it, or move the test to a module without one"
        )


@contextmanager
def demo_state(request, django_db_blocker):
    """The whole demo, as `seed_demo --password demo-pass` loads it, as a shared state
    (see shared_state) for the tests that read it: `demo_seeded`."""
    from operations.demo import demo_seed

    def seed():
        with override_settings(DEBUG=True):
            demo_seed(password=DEMO_PASSWORD)

    with shared_state(request, django_db_blocker, seed):
        yield


@pytest.fixture(scope="module")
def demo_seeded(request, django_db_setup, django_db_blocker):
    """The demo seeded once for the tests of a module that request it (with `db`, or
    the django_db mark). The tests of ``tests/demo/`` share one seeding per test
    process for the whole package (tests/demo/conftest.py).

    Seeding takes seconds (it lays out the certificates' PDFs): tests that read the
    demo share one seeding through `shared_state` instead of one each.
    """
    with demo_state(request, django_db_blocker):
        yield


@pytest.fixture
def home_pages(db):
    """The Lao home page with its English translation, as `make run` sets them up."""
    return site_ensure_home_pages()


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def make_user(db):
    def make(username: str, role: str | None = None, **fields):
        return UserFactory(
            username=username, role=role or ROLE_USERS[username], **fields
        )

    return make


@pytest.fixture
def client_as(client, make_user, admin_user):
    """A test client signed in as one of the demo users (by username)."""

    def sign_in(username: str):
        user = admin_user if username == "admin" else make_user(username)
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def reports_cache_cleared():
    """Each test starts with no cached report figure (reports.figures): a test
    database's first data version is the same in every test."""
    from django.core.cache import caches

    caches["reports"].clear()


@pytest.fixture(autouse=True)
def english_messages():
    """Services and commands speak the active language; tests read them in English.

    Requests still choose their own language (Lao by default), as for real users.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def client_in_english(client_as):
    """Like client_as, with English chosen in the user's admin preferences."""
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    def sign_in(username: str):
        client = client_as(username)
        profile = UserProfile.get_for_user(
            get_user_model().objects.get(username=username)
        )
        profile.preferred_language = "en"
        profile.save()
        return client

    return sign_in
