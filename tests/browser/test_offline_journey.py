"""A promoter saves a material for offline reading, loses the connection, reads it;
and reads "My meetings" and "My certificates" offline after one visit, until signing
out.

Phone-sized Chromium with service workers allowed; "offline" is Playwright's network
emulation, which the service worker's own fetches obey too (the unsaved page below
proves it: it gets the offline answer, not the server's).
"""

import datetime
import re
import uuid

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
from promoters.services import meeting_record
from tests.browser.conftest import PHONE_VIEWPORT, screenshot
from tests.browser.test_promoter_journey import (
    promoter_site,  # noqa: F401 - a fixture
    sign_in_by_phone,
)
from tests.factories import UserFactory

OFFLINE_LO = "ທ່ານບໍ່ໄດ້ເຊື່ອມຕໍ່ອິນເຕີເນັດ"
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

    # A page that was never opened nor saved: the worker says so, in Lao.
    page.goto(f"{url}/lo/materials/labour-rights/")
    expect(page.locator("html")).to_have_attribute("lang", "lo")
    expect(page.locator("h1")).to_have_text(OFFLINE_LO)
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


def test_promoter_reads_meetings_and_certificates_offline_until_signing_out(
    page,
    promoter_site,  # noqa: F811
):
    url, promoter = promoter_site
    meeting_record(
        user=promoter.person.user,
        client_uuid=uuid.uuid4(),
        date=datetime.date(2023, 6, 15),
        village=promoter.village,
        led_by=[promoter],
        turnout={"women": 7, "men": 5},
        registrations={"women": 3, "men": 2},
    )
    sign_in_by_phone(page, url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")

    # One visit each, online.
    page.goto(url + "/lo/portal/meetings/")
    expect(page.locator("[data-testid=meetings]")).to_contain_text("ບ້ານ ໜອງຫຼວງ")
    page.goto(url + "/lo/portal/certificates/")
    number = page.locator("[data-testid=certificates] .meta").first.inner_text()

    page.context.set_offline(True)
    page.goto(url + "/lo/portal/meetings/")
    expect(page.locator("[data-testid=meetings]")).to_contain_text("ບ້ານ ໜອງຫຼວງ")
    page.goto(url + "/lo/portal/certificates/")
    expect(page.locator("[data-testid=certificates] .meta").first).to_have_text(number)

    # A portal page never kept: the offline answer, in Lao and styled, leads to
    # what is kept.
    page.goto(url + "/lo/portal/materials/")
    expect(page.locator("html")).to_have_attribute("lang", "lo")
    expect(page.locator("h1")).to_have_text(OFFLINE_LO)
    header = page.locator("header")
    expect(header).to_have_css("background-color", "rgb(27, 79, 138)")
    kept = page.locator("main li a")
    expect(kept).to_have_text(["ກອງປະຊຸມຂອງຂ້ອຍ", "ໃບຢັ້ງຢືນຂອງຂ້ອຍ", "ບັນທຶກໄວ້ອ່ານແບບອອບລາຍ"])
    screenshot(page, "promoter-offline.png")
    kept.first.click()
    expect(page.locator("[data-testid=meetings]")).to_contain_text("ບ້ານ ໜອງຫຼວງ")

    # Signing out (online) forgets them: the next person finds nothing.
    page.context.set_offline(False)
    page.locator("form[data-portal-signout] [type='submit']").click()
    expect(page).to_have_url(url + "/lo/portal/login/")
    page.context.set_offline(True)
    page.goto(url + "/lo/portal/meetings/")
    expect(page.locator("h1")).to_have_text(OFFLINE_LO)
    expect(page.locator("main li a")).to_have_text(["ບັນທຶກໄວ້ອ່ານແບບອອບລາຍ"])
    assert "ບ້ານ ໜອງຫຼວງ" not in page.content()


def test_an_expired_sign_in_drops_the_kept_pages_on_the_next_visit(
    page,
    promoter_site,  # noqa: F811
):
    url, _promoter = promoter_site
    sign_in_by_phone(page, url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.goto(url + "/lo/portal/certificates/")
    expect(page.locator("[data-testid=certificates]")).to_be_visible()
    assert page.evaluate(KEPT_COUNT) == 1

    # The sign-in ends without "Sign out" (expired, or the cookie is gone); the next
    # portal page the phone opens online is the sign-in page: nobody's pages stay.
    page.context.clear_cookies()
    page.goto(url + "/lo/portal/")
    expect(page).to_have_url(re.compile(r"/lo/portal/login/"))

    assert page.evaluate(KEPT_COUNT) == 0
    page.context.set_offline(True)
    page.goto(url + "/lo/portal/certificates/")
    expect(page.locator("h1")).to_have_text(OFFLINE_LO)


KEPT_COUNT = (
    "caches.open('suksa-personal-v1').then(cache => cache.keys())"
    ".then(keys => keys.length)"
)
