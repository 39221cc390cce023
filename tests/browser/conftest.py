"""Browser tests: Playwright (sync API) driving Debian's Chromium.

The browser is never downloaded (`playwright install` fails on our machines); the tests
use /usr/bin/chromium from the `chromium` Debian package. Without it they skip, except
under CI=true, where a missing browser is a failure.
"""

import os
import warnings
from pathlib import Path

import pytest
from django.conf import settings
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
