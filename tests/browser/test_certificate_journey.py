"""A trainer issues a session's certificates; anyone checks one with a phone.

The journey starts from a completed session: completing it in the browser is
test_trainer_journey's part. The screenshots taken on the way illustrate the guide
(docs/img/certificate-*.png).
"""

import datetime
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error, expect
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from certificates.models import Certificate, CertificateJob
from people.models import Gender
from tests.browser.conftest import PHONE_VIEWPORT, RESULTS, guide_image, screenshot
from tests.certificates.conftest import complete
from tests.factories import (
    CourseFactory,
    DistrictFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
)
from trainings.models import Course

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
# (Lao name, latin name, gender): the three who completed the session.
GRADUATES = [
    ("ນາງ ບົວພັນ ສີສຸກ", "Bouaphanh Sisouk", Gender.WOMAN),
    ("ນາງ ມະນີວອນ ພົມມະຈັນ", "Manivone Phommachanh", Gender.WOMAN),
    ("ທ້າວ ສົມສັກ ແກ້ວມະນີ", "Somsak Keomany", Gender.MAN),
]
ABSENT_MAN = "ທ້າວ ບຸນມີ ໄຊຍະວົງ"
VALID_LO = "ໃບຢັ້ງຢືນນີ້ໃຊ້ໄດ້"  # "Valid certificate" in locale/lo


def require_tool(name: str) -> str:
    """The path of a command-line tool; missing, it skips (fails under CI=true)."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is missing; run `apt-get install poppler-utils zbar-tools`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required in CI: {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture
def completed_session(transactional_db, django_db_serialized_rollback, live_server):
    """The trainer's ToT that ended last week: three completed it, one did not.

    See test_public_journey.live_site for why the database fixtures are needed.
    """
    trainer = UserFactory(username="trainer", role="Trainers")
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "en"
    profile.save()
    today = timezone.localdate()
    session = SessionFactory(
        course=CourseFactory(kind=Course.Kind.TOT, min_attendance_percent=80),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=8),
        district=DistrictFactory(name_lo="ເມືອງປາກເຊ", name_en="Pakse"),
        venue="LSSO Champasak, meeting room 2",
        created_by=trainer,
    )
    graduates = [
        PersonFactory(full_name=name, latin_name=latin, gender=gender)
        for name, latin, gender in GRADUATES
    ]
    complete(session, graduates, [PersonFactory(full_name=ABSENT_MAN)])
    cache.clear()  # the verification page's rate limit counts in the cache
    return session


def _screenshot_on_failure(tab, request, suffix: str) -> None:
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        try:
            tab.screenshot(path=str(RESULTS / f"{request.node.name}{suffix}.png"))
        except Error as error:  # a crashed tab must not hide the test's own failure
            warnings.warn(f"No screenshot: {error}", stacklevel=1)


@pytest.fixture
def admin_page(browser, request):
    """A desktop-sized tab: trainers do this work on an office computer."""
    context = browser.new_context(
        viewport=DESKTOP_VIEWPORT, locale="lo-LA", accept_downloads=True
    )
    tab = context.new_page()
    yield tab
    _screenshot_on_failure(tab, request, "-admin")
    context.close()


@pytest.fixture
def phone_page(browser, request):
    """Someone else's phone: a separate browser, nobody signed in, Lao first."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="lo-LA")
    tab = context.new_page()
    yield tab
    _screenshot_on_failure(tab, request, "-phone")
    context.close()


def render_first_page(pdftoppm: str, pdf: Path, resolution: int, output: Path) -> Path:
    """Page 1 of ``pdf`` as a PNG at ``output`` (pdftoppm adds the extension)."""
    command = ["-f", "1", "-l", "1", "-r", str(resolution), "-png", "-singlefile"]
    subprocess.run(
        [pdftoppm, *command, str(pdf), str(output.with_suffix(""))],
        check=True,
        timeout=60,
    )
    return output


def test_trainer_issues_certificates_and_anyone_verifies_one(
    admin_page, phone_page, completed_session, live_server, settings, tmp_path
):
    page = admin_page
    url = live_server.url
    session = completed_session
    # The QR code leads to this server, not to the production address.
    settings.SUKSA_PUBLIC_BASE_URL = url
    # Reading the printed QR code needs poppler-utils and zbar-tools.
    pdftoppm, zbarimg = require_tool("pdftoppm"), require_tool("zbarimg")

    # 1. The trainer signs in and opens the session: who may get a certificate.
    page.goto(url + "/admin/login/")
    page.fill("input[name='username']", "trainer")
    page.fill("input[name='password']", "secret-pass-123")
    page.locator("form.login-form [type='submit']").click()
    expect(page).to_have_url(url + "/admin/")

    page.goto(url + reverse("sessions:inspect", args=[session.pk]))
    section = page.locator("[data-testid=certificates]")
    expect(section.get_by_role("heading", name="Certificates")).to_be_visible()
    expect(section).to_contain_text(
        "3 participants may receive a certificate; 3 have none yet."
    )
    rows = section.locator("[data-testid=certificate-eligibility] tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text="May receive one; not issued yet")).to_have_count(3)
    for name, _latin, _gender in GRADUATES:
        expect(rows.filter(has_text=name)).to_contain_text("May receive one")
    not_eligible = rows.filter(has_text="Not eligible")
    expect(not_eligible).to_have_count(1)
    expect(not_eligible).to_contain_text(ABSENT_MAN)
    expect(not_eligible).to_contain_text(
        re.compile(r"Did not complete: Attended 0 of 3 days \(0 %\); 80 % required")
    )
    assert not Certificate.objects.exists()

    # 2. Issue them all and follow the job. Celery runs eagerly in the tests, so the
    # job is usually finished before its page opens; the bar must still end full.
    page.get_by_role("button", name="Issue certificates").click()
    job = CertificateJob.objects.get()
    expect(page).to_have_url(url + reverse("certificates:job", args=[job.pk]))
    progress = page.locator("progress[data-job-field=progress]")
    expect(progress).to_have_js_property("value", 100, timeout=60_000)
    expect(page.locator("[data-job-field=state_label]")).to_have_text("Done")
    expect(page.locator("[data-job-field=percent]")).to_have_text("100 %")
    expect(page.locator("[data-job-field=done]")).to_have_text("3")
    expect(page.locator("[data-job-field=total]")).to_have_text("3")
    pdf_link = page.get_by_role("link", name="All certificates in one PDF")
    expect(pdf_link).to_be_visible()
    expect(
        page.get_by_role("link", name="One PDF per certificate (ZIP)")
    ).to_be_visible()
    expect(page.locator("[data-job-refresh]")).to_be_hidden()
    # The guide's picture of this page (in Lao): test_certificate_job.

    certificates = list(Certificate.objects.filter(enrolment__session=session))
    assert len(certificates) == 3
    assert {c.holder_name for c in certificates} == {n for n, _l, _g in GRADUATES}
    assert all(c.status == Certificate.Status.VALID for c in certificates)

    # 3. Download the print file: one page per certificate, each with its QR code.
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename == f"{session.code}-certificates.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert len(PdfReader(pdf).pages) == 3

    first_page = render_first_page(pdftoppm, pdf, 150, tmp_path / "page-1.png")
    decoded = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(first_page)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    by_url = {f"{url}/verify/{c.code}/": c for c in certificates}
    assert decoded in by_url, f"QR code reads {decoded!r}"
    certificate = by_url[decoded]
    render_first_page(pdftoppm, pdf, 60, guide_image("certificate-print.png"))

    # 4. Anyone scans it: a phone that has never signed in, in Lao first.
    phone = phone_page
    phone.goto(decoded)
    expect(phone).to_have_url(decoded)
    expect(phone.locator("html")).to_have_attribute("lang", "lo")
    check = phone.locator("[data-testid=verification]")
    expect(check.locator(".status--valid")).to_have_text(VALID_LO)
    expect(check).to_contain_text(certificate.holder_name)
    expect(check).to_contain_text(certificate.holder_latin_name)
    expect(check).to_contain_text(certificate.number)
    expect(check).not_to_contain_text("Valid certificate")
    screenshot(phone, "certificate-verify.png")

    phone.locator("nav.language-switcher a[hreflang='en']").click()
    expect(phone).to_have_url(decoded)
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(check.locator(".status--valid")).to_have_text("Valid certificate")
    expect(check).to_contain_text(certificate.holder_name)

    # 5. Someone types what is printed instead, from the footer's link, the way a
    # phone keyboard gives it: small letters, spaces for dashes; then the number.
    phone.get_by_role("link", name="Check a certificate").click()
    expect(phone).to_have_url(url + "/verify/")
    typed = certificate.code.lower().replace("-", " ")
    phone.get_by_label(re.compile("Verification code or certificate number")).fill(
        typed
    )
    phone.get_by_role("button", name="Check").click()
    expect(check.locator(".status--valid")).to_have_text("Valid certificate")
    expect(check).to_contain_text(certificate.number)

    phone.locator("input[name=code]").fill(certificate.number.lower())
    phone.get_by_role("button", name="Check").click()
    expect(check.locator(".status--valid")).to_have_text("Valid certificate")
    expect(check).to_contain_text(certificate.holder_name)
