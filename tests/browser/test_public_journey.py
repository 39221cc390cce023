"""A visitor reads the site in Lao, switches to English, and a trainer signs in."""

import re

import pytest
from playwright.sync_api import expect

from cms.services import site_ensure_home_pages
from tests.browser.conftest import RESULTS
from tests.factories import UserFactory


@pytest.fixture
def live_site(transactional_db, django_db_serialized_rollback, live_server):
    """The live server with the Lao and English home pages and a trainer account.

    The shared `home_pages` fixture uses `db`, which live_server tests cannot share.
    Transactional tests empty the database afterwards; the serialized rollback puts
    back what migrations created (Wagtail's root page, locales, the role groups) so
    the next browser test starts from the same state.
    """
    site_ensure_home_pages()
    UserFactory(username="trainer", role="Trainers")
    return live_server.url


def test_visitor_switches_language_and_trainer_signs_in(page, live_site):
    page.goto(live_site + "/")

    expect(page).to_have_url(re.compile(r"/lo/$"))
    expect(page.locator("html")).to_have_attribute("lang", "lo")
    expect(page.locator("h1")).to_have_text("ສຶກສາ")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "home-lo.png"), full_page=True)

    switcher = page.locator("nav.language-switcher")
    expect(switcher.locator("span[aria-current]")).to_have_attribute("lang", "lo")
    switcher.locator("a[hreflang='en']").click()

    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Suksa")

    page.goto(live_site + "/admin/login/")
    page.fill("input[name='username']", "trainer")
    page.fill("input[name='password']", "secret-pass-123")
    page.locator("form.login-form [type='submit']").click()

    expect(page).to_have_url(live_site + "/admin/")
    expect(page.locator(".w-dashboard")).to_be_visible()
    # On a phone the admin menu sits behind a toggle (labelled in Lao, the admin's
    # language unless the user chose another); the account menu names the user.
    page.get_by_role("button", name="ສະແດງ/ເຊື່ອງແຖບຂ້າງ").filter(visible=True).click()
    sidebar = page.locator("#wagtail-sidebar")
    expect(sidebar.get_by_role("navigation", name="ເມນູຫຼັກ")).to_be_visible()
    expect(sidebar.get_by_text("trainer", exact=True)).to_be_visible()
