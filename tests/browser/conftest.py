"""Browser tests: Playwright (sync API) driving Debian's Chromium.

The browser is never downloaded (`playwright install` fails on our machines); the tests
use /usr/bin/chromium from the `chromium` Debian package. Without it they skip, except
under CI=true, where a missing browser is a failure.
"""

import os
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import Error, sync_playwright

# Playwright's sync API runs an event loop in the main thread; Django would otherwise
# refuse ORM calls there ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}
RESULTS = Path(settings.BASE_DIR) / "test-results"
# Guide screenshots go to docs/img only when asked for (SUKSA_GUIDE_SCREENSHOTS=1), so
# that an ordinary test run leaves the working tree as it found it.
GUIDE_IMAGES = (
    Path(settings.BASE_DIR) / "docs" / "img"
    if os.environ.get("SUKSA_GUIDE_SCREENSHOTS") == "1"
    else RESULTS / "guide"
)
BROWSER_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_TESTS in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item, so fixtures can see whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _no_browser(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is required in CI but unavailable: {reason}")
    pytest.skip(f"{reason}; run `apt-get install chromium` to run the browser tests")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except Error as error:
            _no_browser(f"Playwright cannot launch {CHROMIUM}: {error}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser tab the size of a cheap phone, asking for Lao first."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="lo-LA")
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        screenshot = RESULTS / f"{request.node.name}.png"
        try:
            tab.screenshot(path=str(screenshot), full_page=True)
        except Error as error:  # a crashed tab must not hide the test's own failure
            warnings.warn(f"No screenshot {screenshot}: {error}", stacklevel=1)
    context.close()


def guide_image(name: str) -> Path:
    """Where the guide picture ``name`` is written (see GUIDE_IMAGES)."""
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    return GUIDE_IMAGES / name


def screenshot(tab, name: str) -> None:
    """A viewport-sized picture for a guide, transitions run to their end."""
    tab.screenshot(path=str(guide_image(name)), animations="disabled")


def database_as_migrated(django_db_blocker, migrated_state) -> None:
    """Empty every test database and put back what the migrations created (the
    ``migrated_state`` fixture's copy), as a transactional test with a serialized
    rollback does: flush, then deserialize."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connections

    with django_db_blocker.unblock():
        for alias, serialized in migrated_state.items():
            connection = connections[alias]
            # As Django's serialized rollback: no post_migrate signal, whose
            # receivers would write again what the deserializing writes.
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=alias,
                inhibit_post_migrate=True,
            )
            connection.creation.deserialize_db_from_string(serialized)
            # The rows come back with their ids; on PostgreSQL the flush restarted
            # the sequences, which must move past those ids again.
            statements = connection.ops.sequence_reset_sql(
                no_style(), apps.get_models()
            )
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


@contextmanager
def committed_live_server(django_db_blocker, migrated_state, seed):
    """A live server of its own over data ``seed`` commits once, for a module of
    browser tests that only read it (for module-scoped fixtures).

    pytest-django's `live_server` makes each test transactional (the database is
    emptied after each one), so a module seeding the demo for each test would seed it
    once per test. Here the database is put in its migrated state, the data committed
    once before the module's first test, and after its last test the database is
    emptied and the migrated state put back (``database_as_migrated``), on SQLite and
    PostgreSQL alike, whatever the tests before it left.

    The module's tests use the plain `db` fixture: each runs in a transaction rolled
    back at its end (on SQLite the server shares the test's in-memory connection, so
    what the server writes is rolled back too; on PostgreSQL the server's own writes,
    such as sign-in sessions, stay until the module's end and are flushed then).
    """
    from pytest_django.live_server_helper import LiveServer

    database_as_migrated(django_db_blocker, migrated_state)
    server = None
    try:
        with django_db_blocker.unblock(), translation.override("en"):
            seed()
        server = LiveServer(
            os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
        )
        with server._live_server_modified_settings:
            yield server
    finally:
        if server is not None:
            server.stop()
        database_as_migrated(django_db_blocker, migrated_state)
