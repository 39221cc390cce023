"""Issue 16 item 10: the bulk-certificate page follows its job to the end and then
says so — "certificates issued" with the download links, not "issuing" at 100 %.

The job is moved on in the database while the page is open, as the worker would, so
that the page's own follow-up (static/js/job-progress.js) is what changes it. A Lao
trainer, on a 1366 px laptop and a 360 px phone; the laptop picture illustrates the
certificates guide (docs/img/certificate-job.png).
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import CertificateJob
from tests.browser.conftest import RESULTS, screenshot
from tests.factories import SessionFactory, UserFactory

PASSWORD = "secret-pass-123"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
ISSUING = "ກຳລັງອອກໃບຢັ້ງຢືນ"
ISSUED = "ໃບຢັ້ງຢືນທີ່ອອກໃຫ້"


@pytest.fixture
def running_job(transactional_db, django_db_serialized_rollback, live_server):
    """A Lao trainer's bulk issue, 24 of 60 certificates made."""
    trainer = UserFactory(username="trainer", role="Trainers")
    trainer.set_password(PASSWORD)
    trainer.save()
    session = SessionFactory(created_by=trainer)
    job = CertificateJob.objects.create(
        session=session,
        requested_by=trainer,
        state=CertificateJob.State.RUNNING,
        total=60,
        done=24,
    )
    return live_server.url, job


def finish(job: CertificateJob) -> None:
    """What the worker does at the end: the files, then "done"."""
    job.combined_pdf.save("all.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    job.archive.save("all.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    job.done = 60
    job.state = CertificateJob.State.DONE
    job.finished_at = timezone.now()
    job.save()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_job_page_says_done_with_its_links_at_100_percent(
    browser, running_job, viewport
):
    url, job = running_job
    context = browser.new_context(viewport=viewport, locale="lo-LA")
    page = context.new_page()
    page.goto(url + "/admin/login/")
    page.fill("input[name='username']", "trainer")
    page.fill("input[name='password']", PASSWORD)
    page.locator("form.login-form [type='submit']").click()
    page.goto(url + reverse("certificates:job", args=[job.pk]))

    heading = page.locator("[data-job-field=heading]")
    expect(heading).to_have_text(ISSUING)
    header = page.locator("header").first
    expect(header).to_contain_text(ISSUING)
    expect(page.locator("[data-job-field=percent]")).to_have_text("36 %")
    expect(page.locator("[data-job-downloads]")).to_be_hidden()

    finish(job)

    expect(page.locator("[data-job-field=percent]")).to_have_text("100 %")
    expect(heading).to_have_text(ISSUED)
    expect(header).to_contain_text(ISSUED)
    expect(header).not_to_contain_text(ISSUING)
    assert ISSUING not in page.title()
    expect(page.locator("[data-job-field=state_label]")).to_have_text("ສຳເລັດແລ້ວ")
    expect(page.locator("a[data-job-link=pdf_url]")).to_be_visible()
    expect(page.locator("a[data-job-link=zip_url]")).to_be_visible()
    expect(page.locator("[data-job-refresh]")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if viewport is LAPTOP:
        screenshot(page, "certificate-job.png")
    else:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / "certificate-job-phone.png"))
    context.close()
