"""The staff admin in Lao: each staff role signs in with Lao chosen, reads no English.

Every role of DESIGN §2 that works in the admin signs in (the sign-in page is read
too), chooses Lao in its account (Wagtail's preferred language), and visits its main
screens. On each screen the visible text (``document.body.innerText``: hidden elements
are left out) must hold no run of Latin letters except names and codes from the data
and the abbreviations on ALLOWED. The failure message lists every offending run, page
by page, so that one run shows every string still to translate.
"""

import re
import warnings
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from playwright.sync_api import Error, expect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, WorkflowState
from wagtail.users.models import UserProfile

from certificates.models import Certificate
from operations.demo import demo_seed
from people.models import Organisation, Person
from projects.models import Project
from promoters.models import DistrictOffice, InformationCentre
from tests.browser.conftest import PHONE_VIEWPORT, RESULTS
from trainings.models import Course, Session

DESKTOP_VIEWPORT = {"width": 1366, "height": 900}
PASSWORD = "demo-pass-sweep"

# Abbreviations, formats and brands that are written in Latin letters in Lao too, the
# label of a keyboard key, and English's own name in the language choice.
ALLOWED = {
    *("PDF", "XLSX", "CSV", "JSON", "ADX", "ZIP", "QR", "ILO", "LSSO", "API", "URL"),
    *("DHIS2", "ISO", "Excel", "SMS", "ID", "UTF", "LA", "VT", "EU", "OK", "A4"),
    *("Suksa", "Wagtail", "Tab", "English"),
}
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’]*")
EMAIL = re.compile(r"\S+@\S+")
URL = re.compile(r"(https?://|/)[\w./?=&%#:-]+")

# (role's username, the screens it visits); {session} is a session the role may open.
SCREENS = {
    "admin": [
        "/admin/",
        "/admin/sessions/",
        "/admin/sessions/inspect/{session}/",
        "/admin/sessions/new/",
        "/admin/people/",
        "/admin/reports/",
        "/admin/pages/",
        "/admin/snippets/",
        "/admin/documents/",
        "/admin/images/",
        "/admin/users/",
        "/admin/account/",
        "/admin/no-such-screen/",
    ],
    "manager": [
        "/admin/",
        "/admin/sessions/",
        "/admin/sessions/inspect/{session}/",
        "/admin/people/",
        "/admin/reports/",
        "/admin/reports/approvals/",
        "/admin/certificates/",
        "/admin/no-such-screen/",
    ],
    "trainer": [
        "/admin/",
        "/admin/sessions/?mine=true",
        "/admin/sessions/inspect/{session}/",
        "/admin/sessions/new/",
        "/admin/sessions/{session}/attendance/",
        "/admin/people/",
        "/admin/courses/",
        "/admin/trainee_follow_ups/",
        "/admin/no-such-screen/",
    ],
    "officer": [
        "/admin/",
        "/admin/people/",
        "/admin/promoters/",
        "/admin/village_meetings/",
        "/admin/trainee_follow_ups/",
        "/admin/no-such-screen/",
    ],
    "editor": [
        "/admin/",
        "/admin/pages/",
        "/admin/snippets/",
        "/admin/documents/",
        "/admin/images/",
        "/admin/materials/downloads/",
        "/admin/no-such-screen/",
    ],
}
# Read before signing in.
SIGNED_OUT_SCREENS = ["/admin/login/", "/admin/password_reset/"]


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback, live_server):
    """The live server with the demo loaded, every staff user reading Lao.

    The demo is recorded in Lao, as by staff who read Lao (completion reasons are
    written in the language of whoever completes a session)."""
    with translation.override("lo"):
        demo_seed(password=PASSWORD)
    for user in get_user_model().objects.filter(username__in=SCREENS):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "lo"
        profile.save()
    return live_server.url


@pytest.fixture
def sweep_page(browser, request):
    context = browser.new_context(viewport=DESKTOP_VIEWPORT, locale="lo-LA")
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        try:
            tab.screenshot(path=str(RESULTS / f"{request.node.name}.png"))
        except Error as error:  # a crashed tab must not hide the test's own failure
            warnings.warn(f"No screenshot: {error}", stacklevel=1)
    context.close()


def data_words() -> set[str]:
    """Latin words that are data, not interface: names of people, users,
    organisations and offices, courses' English titles, files and pages, codes, and
    what staff typed (a revocation's reason)."""
    texts = []
    for user in get_user_model().objects.all():
        texts += [user.username, user.first_name, user.last_name, user.email]
    texts += Person.objects.values_list("latin_name", flat=True)
    texts += Organisation.objects.values_list("name", flat=True)
    texts += Course.objects.values_list("title_en", flat=True)
    texts += Session.objects.values_list("code", flat=True)
    texts += Project.objects.values_list("code", flat=True)
    texts += Certificate.objects.values_list("number", flat=True)
    texts += Certificate.objects.values_list("revoked_reason", flat=True)
    texts += DistrictOffice.objects.values_list("name", flat=True)
    texts += InformationCentre.objects.values_list("name", flat=True)
    texts += Collection.objects.values_list("name", flat=True)
    texts += Page.objects.values_list("title", flat=True)
    texts += get_document_model().objects.values_list("title", flat=True)
    texts += get_document_model().objects.values_list("file", flat=True)
    texts += get_image_model().objects.values_list("title", flat=True)
    return {word for text in texts if text for word in LATIN_RUN.findall(text)}


# Visible text, leaving out what is English on purpose (an element marked with another
# language, e.g. the donor sentences in English) and the time zone list (IANA codes).
VISIBLE_TEXT = """() => {
    const skipped = [...document.querySelectorAll(
        'body [lang]:not([lang^="lo"]), select[name$="current_time_zone"]'
    )];
    const before = skipped.map((element) => element.style.visibility);
    skipped.forEach((element) => { element.style.visibility = 'hidden'; });
    const text = document.body.innerText;
    skipped.forEach((element, i) => { element.style.visibility = before[i]; });
    return text;
}"""


def english_on(page, allowed: set[str]) -> list[str]:
    """The lines of visible text holding a run of Latin letters not allowed."""
    text = page.evaluate(VISIBLE_TEXT)
    offending = []
    for line in text.splitlines():
        bare = URL.sub(" ", EMAIL.sub(" ", line))
        if any(word not in allowed for word in LATIN_RUN.findall(bare)):
            offending.append(line.strip())
    return sorted(set(offending))


def sign_in(page, site: str, username: str) -> None:
    page.goto(site + "/admin/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", PASSWORD)
    page.locator("form.login-form [type='submit']").click()
    expect(page).to_have_url(site + "/admin/")


def a_session_for(username: str) -> Session:
    sessions = Session.objects.order_by("-starts_on")
    if username == "trainer":
        sessions = sessions.filter(led_by__user__username=username)
    return sessions.first()


def test_every_staff_screen_reads_in_lao(sweep_page, demo_site):
    page = sweep_page
    allowed = ALLOWED | data_words()
    found: dict[str, list[str]] = defaultdict(list)

    for path in SIGNED_OUT_SCREENS:
        page.goto(demo_site + path)
        found[f"signed out {path}"] = english_on(page, allowed)
    # A failed sign-in shows the form's error too.
    page.goto(demo_site + "/admin/login/")
    page.fill("input[name='username']", "admin")
    page.fill("input[name='password']", "not the password")
    with page.expect_navigation():
        page.locator("form.login-form [type='submit']").click()
    found["signed out, wrong password"] = english_on(page, allowed)

    for username, screens in SCREENS.items():
        page.context.clear_cookies()
        sign_in(page, demo_site, username)
        session = a_session_for(username)
        for screen in screens:
            path = screen.format(session=session.pk if session else 0)
            page.goto(demo_site + path)
            found[f"{username} {path}"] = english_on(page, allowed)
            if path.endswith("/sessions/new/"):
                # The date picker: its month and weekday names.
                page.locator("input[name='starts_on']").click()
                page.wait_for_timeout(300)
                found[f"{username} {path} (date picker)"] = english_on(page, allowed)
        # The account menu of the sidebar, opened.
        page.goto(demo_site + "/admin/")
        page.locator(".sidebar-footer__account").click()
        page.wait_for_timeout(300)
        found[f"{username} /admin/ (account menu)"] = english_on(page, allowed)
        page.set_viewport_size(PHONE_VIEWPORT)
        page.goto(demo_site + "/admin/")
        found[f"{username} /admin/ (phone)"] = english_on(page, allowed)
        page.set_viewport_size(DESKTOP_VIEWPORT)

    # Forms: the errors of an empty form, and the flash message above them.
    page.context.clear_cookies()
    sign_in(page, demo_site, "trainer")
    page.goto(demo_site + "/admin/sessions/new/")
    with page.expect_navigation():
        page.locator("form [type='submit']").last.click()
    found["trainer, an empty session saved"] = english_on(page, allowed)

    # Moderation: the editor's page in review, read by an administrator (who
    # approves it) with the footer's actions open, and its history.
    in_review = WorkflowState.objects.filter(status="in_progress").first()
    material = in_review.content_object.pk
    page.context.clear_cookies()
    sign_in(page, demo_site, "admin")
    for path in (f"/admin/pages/{material}/edit/", f"/admin/pages/{material}/history/"):
        page.goto(demo_site + path)
        if path.endswith("/edit/"):
            page.locator("footer button[aria-expanded]").first.click()
            page.wait_for_timeout(300)
        found[f"admin {path}"] = english_on(page, allowed)

    report = "\n".join(
        f"{screen}:\n" + "\n".join(f"    {line}" for line in lines)
        for screen, lines in found.items()
        if lines
    )
    assert not report, "English on the staff screens in Lao:\n" + report
