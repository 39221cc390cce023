import pytest
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
