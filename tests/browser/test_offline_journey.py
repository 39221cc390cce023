"""A promoter saves a material for offline reading, loses the connection, reads it.

Phone-sized Chromium with service workers allowed; "offline" is Playwright's network
emulation, which the service worker's own fetches obey too (the unsaved page below
proves it: it gets the offline answer, not the server's).
"""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.models import Collection

from accounts import roles
from cms.services import site_ensure_home_pages
from materials.models import MaterialFile, MaterialIndexPage, MaterialPage
from tests.browser.conftest import PHONE_VIEWPORT, screenshot
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "ພື້ນຖານການປະກັນສັງຄົມ"


@pytest.fixture
def offline_site(transactional_db, django_db_serialized_rollback, live_server):
    """A library with one material and one file, a second material, a promoter.

    See test_public_journey.live_site for why the database fixtures are needed.
    """
    home = site_ensure_home_pages()
    library = MaterialIndexPage(title="ເອກະສານ", slug="materials")
    home.add_child(instance=library)
    library.save_revision().publish()
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    document = get_document_model()(
        title="ແຜ່ນພັບ",
        file=ContentFile(PDF, name="social-security.pdf"),
        collection=root,
    )
    document._set_document_file_metadata()
    document.save()
    for title, slug in ((TITLE, "basics"), ("ສິດທິແຮງງານ", "labour-rights")):
        material = MaterialPage(title=title, slug=slug, summary=title, kind="leaflet")
        if slug == "basics":
            material.files = [MaterialFile(document=document, label="ແຜ່ນພັບ A4")]
        library.add_child(instance=material)
        material.save_revision().publish()
    promoter = UserFactory(username="promoter", role=roles.PROMOTERS)
    return live_server.url, promoter


@pytest.fixture
def phone(browser, offline_site):
    """A phone-sized tab, signed in as the promoter, service workers allowed."""
    url, promoter = offline_site
    client = Client()
    client.force_login(promoter)
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, locale="lo-LA", service_workers="allow"
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": url,
            }
        ]
    )
    tab = context.new_page()
    yield tab
    context.close()


def test_promoter_saves_a_material_and_reads_it_offline(phone, offline_site):
    page = phone
    url, _promoter = offline_site
    material = f"{url}/lo/materials/basics/"

    page.goto(material)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    save = page.locator("[data-offline-save]")
    expect(save).to_be_visible()
    save.get_by_label("ແຜ່ນພັບ A4").check()
    save.locator("[data-offline-save-button]").click()
    expect(save.locator("[data-offline-status]")).to_have_text(
        save.get_attribute("data-msg-saved")
    )
    file_url = save.locator("[data-offline-file]").get_attribute("value")
    screenshot(page, "promoter-save-offline.png")

    page.context.set_offline(True)

    page.goto(material)
    expect(page.locator("h1")).to_have_text(TITLE)
    status = page.evaluate(
        "url => fetch(url).then(r => r.status + ' ' + r.headers.get('Content-Type'))",
        file_url,
    )
    assert status == "200 application/pdf"

    page.goto(f"{url}/lo/saved/")
    saved = page.locator("[data-saved-list]")
    expect(saved.get_by_role("link", name=TITLE)).to_have_attribute(
        "href", "/lo/materials/basics/"
    )
    expect(saved.get_by_role("link", name="ແຜ່ນພັບ A4")).to_be_visible()
    expect(page.locator("[data-saved-empty]")).to_be_hidden()
    screenshot(page, "promoter-saved-list.png")

    # A page that was never opened nor saved: the worker says so, in both languages.
    page.goto(f"{url}/lo/materials/labour-rights/")
    expect(page.locator("h1[lang=en]")).to_have_text("You are offline")
    page.locator("a[href='/lo/saved/']").click()
    expect(page.locator("[data-saved-list]")).to_contain_text(TITLE)

    # Back online, the promoter removes it from the phone.
    page.context.set_offline(False)
    page.goto(f"{url}/lo/saved/")
    page.once("dialog", lambda dialog: dialog.accept())
    saved.get_by_role("button").click()
    expect(page.locator("[data-saved-empty]")).to_be_visible()
    assert page.evaluate(
        "url => caches.open('suksa-saved-v1').then(c => c.match(url))"
        ".then(hit => hit === undefined)",
        file_url,
    )


def test_without_javascript_the_save_button_stays_hidden(browser, offline_site):
    url, _promoter = offline_site
    context = browser.new_context(viewport=PHONE_VIEWPORT, java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{url}/lo/materials/basics/")

    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("[data-offline-save]")).to_be_hidden()
    expect(page.get_by_role("link", name="ແຜ່ນພັບ A4")).to_be_visible()
    context.close()
