"""A material from the editor's desk to a promoter's phone.

An editor writes a material in Lao in the Wagtail admin and submits it for moderation;
a moderator approves it, which publishes it; a promoter, signed in on a phone, filters
the library, opens the material, downloads its file and switches to English (the
material has no English version yet, so it stays in Lao with a notice in English).
The screenshots illustrate the editor's guide (docs/img/editor-*.png).
"""

import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale
from wagtail.users.models import UserProfile

from accounts import roles
from accounts.services import roles_ensure
from cms.services import site_ensure_home_pages
from materials.models import Download, MaterialIndexPage, MaterialPage, Topic
from materials.services import material_workflow_ensure
from tests.browser.conftest import PHONE_VIEWPORT, screenshot
from tests.factories import UserFactory

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
PASSWORD = "secret-pass-123"
TITLE = "ການຂຶ້ນທະບຽນຜູ້ອອກແຮງງານໃນຄົວເຮືອນ"
SUMMARY = "ນາຍຈ້າງຕ້ອງຂຶ້ນທະບຽນຜູ້ອອກແຮງງານໃນຄົວເຮືອນກັບປະກັນສັງຄົມ."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def library_site(transactional_db, django_db_serialized_rollback, live_server):
    """The Lao library and its English translation under the moderation workflow,
    topics, an uploaded leaflet, and an editor, a moderator and a promoter.

    See test_public_journey.live_site for why the database fixtures are needed.
    """
    # The root collection first: roles_ensure gives editors their rights on it.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    home = site_ensure_home_pages()
    roles_ensure()
    library = MaterialIndexPage(title="ເອກະສານ", slug="materials")
    home.add_child(instance=library)
    library.save_revision().publish()
    english = library.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Materials"
    english.save_revision().publish()
    for index in (library, english):
        material_workflow_ensure(index_page=index)
    Topic.objects.create(
        slug="domestic-workers",
        name_lo="ຜູ້ອອກແຮງງານໃນຄົວເຮືອນ",
        name_en="Domestic workers",
    )
    Topic.objects.create(
        slug="labour-rights", name_lo="ສິດທິແຮງງານ", name_en="Labour rights"
    )
    document = get_document_model()(
        title="ແຜ່ນພັບ ຂໍ້ຕົກລົງ 4369",
        file=ContentFile(PDF, name="decision-4369.pdf"),
        collection=root,
    )
    document._set_document_file_metadata()
    document.save()
    users = {
        username: UserFactory(username=username, role=role, password=PASSWORD)
        for username, role in (
            ("editor", roles.EDITORS),
            ("moderator", roles.MODERATORS),
            ("promoter", roles.PROMOTERS),
        )
    }
    # The editor works in Lao (the guide's pictures show the admin in Lao), the
    # moderator in English, so that both languages of the admin stay exercised.
    for username, language in (("editor", "lo"), ("moderator", "en")):
        profile = UserProfile.get_for_user(users[username])
        profile.preferred_language = language
        profile.save()
    return live_server.url, library, users["promoter"]


def _desk(browser):
    """A desktop-sized tab: editors and moderators work on an office computer."""
    return browser.new_context(viewport=DESKTOP_VIEWPORT, locale="lo-LA").new_page()


def _sign_in(page, url, username):
    page.goto(url + "/admin/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", PASSWORD)
    page.locator("form.login-form [type='submit']").click()
    expect(page).to_have_url(url + "/admin/")


def _footer_action(page, selector, picture):
    """A button of the page editor's footer menu, behind its "more actions" toggle."""
    button = page.locator(selector)
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    expect(button).to_be_visible()
    screenshot(page, picture)
    button.click()


def _editor_submits(browser, url, library):
    page = _desk(browser)
    _sign_in(page, url, "editor")
    page.goto(
        url
        + reverse(
            "wagtailadmin_pages:add", args=("materials", "materialpage", library.pk)
        )
    )
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", SUMMARY)
    page.select_option("#id_kind", "leaflet")
    # The admin speaks Lao to the editor: the topic is ticked by its Lao name, the
    # buttons are found by Wagtail's markup rather than by their (translated) words.
    page.get_by_label("ຜູ້ອອກແຮງງານໃນຄົວເຮືອນ", exact=True).check()
    page.locator("#id_files-ADD").click()
    page.locator(
        "#id_files-0-document-chooser .unchosen [data-chooser-action-choose]"
    ).click()
    page.get_by_role("link", name="ແຜ່ນພັບ ຂໍ້ຕົກລົງ 4369").click()
    page.fill("input[name='files-0-label']", "ແຜ່ນພັບ (A4)")
    page.locator("input[name='files-0-label']").blur()
    # The chooser's dimmed backdrop fades out after the choice: not in the picture.
    expect(page.locator(".modal-backdrop")).to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "editor-add-material.png")
    _footer_action(page, "button[name='action-submit']", "editor-submit-menu.png")
    # "Page '…' has been submitted for moderation.", in Lao.
    expect(page.locator(".messages")).to_contain_text(TITLE)
    expect(page.locator(".messages")).to_contain_text("ໃຫ້ກວດສອບແລ້ວ")
    screenshot(page, "editor-submitted.png")
    page.context.close()
    material = MaterialPage.objects.get(title=TITLE)
    # The admin's script filled in the slug from the Lao title without its vowel and
    # tone marks; saving romanised it.
    assert material.slug == "kan-khuen-tha-bian-phu-ok-haeng-ngan-nai-khua-huean"
    assert not material.live
    assert material.current_workflow_state.status == "in_progress"
    return material


def _moderator_publishes(browser, url, material):
    page = _desk(browser)
    _sign_in(page, url, "moderator")
    expect(page.locator("main")).to_contain_text(TITLE)  # "Awaiting your review"
    page.goto(url + reverse("wagtailadmin_pages:edit", args=[material.pk]))
    _footer_action(
        page,
        "button[data-workflow-action-name='approve']"
        ":not([data-workflow-action-modal-url])",
        "editor-moderator-review.png",
    )
    expect(page.locator(".messages")).to_contain_text("has been updated")
    page.context.close()
    material.refresh_from_db()
    assert material.live


def _phone_signed_in(browser, url, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, locale="lo-LA", accept_downloads=True
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
    return context.new_page()


def test_editor_writes_moderator_publishes_promoter_reads(
    browser, library_site, settings
):
    # Wagtail autosaves a new page after half a second without typing; on a loaded
    # machine that draft was once still being saved when "Submit" posted the form
    # again, and the page was created twice (Wagtail's own race). The journey is
    # about moderation, not autosave: it submits without one.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    url, library, promoter = library_site

    material = _editor_submits(browser, url, library)
    _moderator_publishes(browser, url, material)

    page = _phone_signed_in(browser, url, promoter)
    page.goto(url + "/lo/materials/")
    page.locator("details.filters > summary").click()
    page.select_option("#material-topic", "labour-rights")
    page.get_by_role("button", name=re.compile("Find materials|ຊອກຫາເອກະສານ")).click()
    expect(page).to_have_url(re.compile(r"topic=labour-rights"))
    expect(page.locator(".empty-state")).to_be_visible()

    page.select_option("#material-topic", "domestic-workers")
    # ເຮືອນ: the end of ຄົວເຮືອນ, a word of the title.
    page.fill("#material-q", "ເຮືອນ")
    page.get_by_role("button", name=re.compile("Find materials|ຊອກຫາເອກະສານ")).click()
    expect(page).to_have_url(re.compile(r"q=%E0%BB%80"))
    card = page.locator(".material-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot(page, "editor-published-on-phone.png")
    card.get_by_role("link", name=TITLE).click()

    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page).to_have_url(f"{url}/lo/materials/{material.slug}/")
    file_link = page.locator(".file-list a")
    expect(file_link).to_have_text("ແຜ່ນພັບ (A4)")
    response = page.request.get(url + file_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == PDF
    assert Download.objects.filter(page=material, user=promoter).count() == 1

    page.locator("nav.language-switcher a[hreflang='en']").click()
    expect(page).to_have_url(re.compile(r"\?fallback=en$"))
    notice = page.locator(".notice--translation")
    expect(notice).to_have_attribute("lang", "en")
    expect(notice).to_contain_text("has not been translated into English yet")
    expect(page.locator("h1")).to_have_text(TITLE)
    notice.get_by_role("link", name="More in English").click()
    expect(page).to_have_url(url + "/en/materials/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.context.close()
