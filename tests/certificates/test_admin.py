"""Certificates in the staff admin: issue from the session page, follow the job,
download, revoke and re-issue, each scoped to the sessions the user may see."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from certificates.models import Certificate, CertificateJob, CertificateTemplate
from certificates.services import certificate_job_start
from people.models import Person
from people.services import person_update
from tests.certificates.conftest import make_image
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

# The `graduates` fixture (tests/certificates/conftest.py): a ToT created by
# `trainer`; two women completed it, one man (ທ້າວ ສົມພອນ) attended no day.
COMPLETERS = {"ນາງ ບົວພັນ ສີສຸກ", "ນາງ ມະນີວອນ ພົມມະຈັນ"}


def session_url(session):
    return reverse("sessions:inspect", args=[session.pk])


def issue_url(session):
    return reverse("certificates:issue", args=[session.pk])


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def job_url(job, name="job", *args):
    return reverse(f"certificates:{name}", args=[job.pk, *args])


def certificate_url(certificate, name):
    return reverse(f"certificates:{name}", args=[certificate.pk])


@pytest.fixture
def issue(client_in_english, django_capture_on_commit_callbacks):
    """Press "Issue certificates" on the session page as `username`; the job runs
    when the request's transaction commits (Celery is eager in tests)."""

    def press(session, username="trainer"):
        client = client_in_english(username)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(issue_url(session))
        return client, response

    return press


@pytest.fixture
def issued(graduates, make_user, django_capture_on_commit_callbacks):
    """The trainer's bulk issue, run to the end: (session, job, certificates)."""
    session, _enrolments = graduates
    with django_capture_on_commit_callbacks(execute=True):
        job = certificate_job_start(session=session, by=make_user("trainer"))
    job.refresh_from_db()
    return session, job, list(Certificate.objects.order_by("number"))


# The session page ------------------------------------------------------------------


def test_session_page_lists_who_may_get_a_certificate_and_why_not(
    client_in_english, graduates
):
    session, _enrolments = graduates

    content = client_in_english("trainer").get(session_url(session)).content.decode()

    assert "Issue certificates" in content
    assert "2 participants may receive a certificate; 2 have none yet." in content
    for name in COMPLETERS:
        assert name in content
    assert "ທ້າວ ສົມພອນ" in content
    assert "Not eligible" in content
    assert "Did not complete: Attended 0 of 3 days (0 %); 80 % required" in content


def test_a_manager_sees_the_section_but_cannot_issue(client_in_english, graduates):
    session, _enrolments = graduates

    content = client_in_english("manager").get(session_url(session)).content.decode()

    assert "Not eligible" in content
    assert "Issue certificates" not in content


def test_issuing_certifies_only_those_who_completed(issue, graduates):
    session, _enrolments = graduates

    _client, response = issue(session)

    job = CertificateJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(job)
    assert set(Certificate.objects.values_list("holder_name", flat=True)) == COMPLETERS
    assert job.requested_by.username == "trainer"


def test_issuing_twice_changes_nothing(issue, graduates):
    session, _enrolments = graduates
    issue(session)
    first = list(Certificate.objects.values_list("number", "code", "status"))

    client, response = issue(session)

    assert response.status_code == 302
    assert list(Certificate.objects.values_list("number", "code", "status")) == first
    assert CertificateJob.objects.count() == 2
    content = client.get(session_url(session)).content.decode()
    assert "2 participants may receive a certificate; 0 have none yet." in content


def test_issuing_with_nobody_eligible_says_so(client_in_english, make_user):
    session = SessionFactory(created_by=make_user("trainer"))

    client = client_in_english("trainer")
    response = client.post(issue_url(session), follow=True)

    assert "Nobody may receive a certificate" in response.content.decode()
    assert not CertificateJob.objects.exists()


def test_issued_certificates_are_listed_with_their_download_links(
    client_in_english, issued
):
    session, _job, certificates = issued

    content = client_in_english("trainer").get(session_url(session)).content.decode()

    for certificate in certificates:
        assert certificate.number in content
        assert certificate_url(certificate, "pdf") in content


# Following the job -----------------------------------------------------------------


def test_job_page_and_status_reach_100_percent(issue, graduates):
    session, _enrolments = graduates
    client, response = issue(session)

    page = client.get(response["Location"])
    job = CertificateJob.objects.get()
    status_response = client.get(job_url(job, "job_status"))
    status = status_response.json()
    with translation.override("en"):  # the trainer chose English in the admin
        expected_message = job.message

    assert page.status_code == 200
    content = page.content.decode()
    assert '<progress max="100" value="100"' in content
    assert "100 %" in content
    assert "js/job-progress.js" in content
    assert job_url(job, "job_download", "pdf") in content
    assert job_url(job, "job_download", "zip") in content
    assert status == {
        "state": "done",
        "state_label": "Done",
        "heading": "Certificates issued",
        "progress": 100,
        "done": 2,
        "total": 2,
        # Put in words when read, in the language of the answer.
        "message": expected_message,
        "pdf_url": job_url(job, "job_download", "pdf"),
        "zip_url": job_url(job, "job_download", "zip"),
    }


def test_a_finished_job_page_says_issued_not_issuing(client_as, issued):
    _session, job, _certificates = issued

    content = client_as("trainer").get(job_url(job)).content.decode()

    # The trainer's admin is in Lao: "certificates issued", no longer "issuing".
    assert 'data-job-field="heading">ໃບຢັ້ງຢືນທີ່ອອກໃຫ້<' in content
    assert "ກຳລັງອອກໃບຢັ້ງຢືນ" not in content
    assert job_url(job, "job_download", "zip") in content


def test_a_waiting_job_shows_its_state_and_a_refresh_link(
    client_in_english, graduates, make_user
):
    session, _enrolments = graduates
    # Not run: its worker would start only when the transaction commits.
    job = certificate_job_start(session=session, by=make_user("trainer"))

    client = client_in_english("trainer")
    content = client.get(job_url(job)).content.decode()
    status = client.get(job_url(job, "job_status")).json()

    assert "Waiting" in content
    assert 'data-job-field="heading">Issuing certificates<' in content
    assert '<progress max="100" value="0"' in content
    assert "refresh it" in content
    assert status["state"] == "pending"
    assert status["pdf_url"] is None and status["zip_url"] is None
    assert client.get(job_url(job, "job_download", "pdf")).status_code == 404


def test_managers_follow_any_job(client_as, issued):
    _session, job, _certificates = issued

    client = client_as("manager")

    assert client.get(job_url(job)).status_code == 200
    assert client.get(job_url(job, "job_status")).json()["state"] == "done"


# Downloads -------------------------------------------------------------------------


def test_job_downloads_are_the_print_pdf_and_a_zip(client_as, issued):
    _session, job, certificates = issued
    client = client_as("trainer")

    pdf = client.get(job_url(job, "job_download", "pdf"))
    archive = client.get(job_url(job, "job_download", "zip"))

    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert archive["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as files:
        assert sorted(files.namelist()) == [
            f"{c.number} {c.holder_name}.pdf" for c in certificates
        ]
        assert files.namelist()[0] == "LSSO-TOT-2022-0001 ນາງ ບົວພັນ ສີສຸກ.pdf"
        assert all(info.flag_bits & 0x800 for info in files.infolist())  # UTF-8


def test_one_certificate_downloads_as_pdf(client_as, issued):
    _session, _job, (certificate, _other) = issued

    response = client_as("trainer").get(certificate_url(certificate, "pdf"))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert f'filename="{certificate.number}.pdf"' in response["Content-Disposition"]


def test_a_holder_with_an_account_downloads_their_own_certificate(
    client_as, issued, make_user
):
    _session, _job, (own, other) = issued
    Person.objects.filter(pk=own.enrolment.person_id).update(user=make_user("promoter"))

    client = client_as("promoter")

    assert client.get(certificate_url(own, "pdf")).content.startswith(b"%PDF")
    assert client.get(certificate_url(other, "pdf")).status_code == 404


# Scope: another trainer finds nothing ----------------------------------------------


def routes(session, job, certificate):
    return [
        ("post", issue_url(session)),
        ("get", job_url(job)),
        ("get", job_url(job, "job_status")),
        ("get", job_url(job, "job_download", "pdf")),
        ("get", job_url(job, "job_download", "zip")),
        ("get", certificate_url(certificate, "inspect")),
        ("get", certificate_url(certificate, "history")),
        ("get", certificate_url(certificate, "pdf")),
        ("get", certificate_url(certificate, "revoke")),
        ("get", certificate_url(certificate, "reissue")),
    ]


def test_another_trainer_gets_404_everywhere(client_as, issued):
    session, job, (certificate, _other) = issued
    client = client_as("trainer2")

    for method, url in routes(session, job, certificate):
        assert getattr(client, method)(url).status_code == 404, url


def test_anonymous_is_sent_to_sign_in(client, issued):
    session, job, (certificate, _other) = issued

    for method, url in routes(session, job, certificate):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"]


def test_the_listing_and_its_export_show_only_the_users_certificates(
    client_as, issued, make_user
):
    _session, _job, certificates = issued
    numbers = [c.number for c in certificates]

    mine = client_as("trainer").get(reverse("certificates:index")).content.decode()
    theirs = client_as("trainer2").get(reverse("certificates:index")).content.decode()
    export = client_as("trainer2").get(reverse("certificates:index") + "?export=csv")

    assert all(number in mine for number in numbers)
    assert not any(number in theirs for number in numbers)
    exported = b"".join(export.streaming_content).decode()
    assert not any(number in exported for number in numbers)


def test_the_manager_export_lists_every_certificate(client_as, issued):
    _session, _job, certificates = issued

    response = client_as("manager").get(reverse("certificates:index") + "?export=csv")

    exported = b"".join(response.streaming_content).decode()
    assert all(c.number in exported for c in certificates)


@pytest.mark.parametrize("username", ["trainer", "manager", "admin"])
@pytest.mark.parametrize("name", ["add", "edit", "delete"])
def test_nobody_adds_edits_or_deletes_a_certificate_by_hand(
    client_as, issued, username, name
):
    _session, _job, (certificate, _other) = issued
    args = [] if name == "add" else [certificate.pk]

    response = client_as(username).get(reverse(f"certificates:{name}", args=args))

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def test_the_inspect_page_offers_what_the_user_may_do(client_in_english, issued):
    _session, _job, (certificate, _other) = issued
    url = certificate_url(certificate, "inspect")

    trainer = client_in_english("trainer").get(url).content.decode()
    manager = client_in_english("manager").get(url).content.decode()

    assert certificate.number in trainer
    assert certificate_url(certificate, "reissue") in trainer
    assert certificate_url(certificate, "revoke") not in trainer
    assert certificate_url(certificate, "revoke") in manager
    assert certificate_url(certificate, "reissue") not in manager


# Revoke ----------------------------------------------------------------------------


def test_a_manager_revokes_with_a_reason(client_in_english, issued):
    _session, _job, (certificate, _other) = issued
    client = client_in_english("manager")

    page = client.get(certificate_url(certificate, "revoke"))
    response = client.post(
        certificate_url(certificate, "revoke"), {"reason": "Issued by mistake"}
    )

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == certificate_url(certificate, "inspect")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_reason == "Issued by mistake"
    assert certificate.revoked_by.username == "manager"


def test_revoking_without_a_reason_shows_the_error(client_in_english, issued):
    _session, _job, (certificate, _other) = issued

    response = client_in_english("manager").post(
        certificate_url(certificate, "revoke"), {"reason": "   "}
    )

    assert response.status_code == 200
    assert "Say why the certificate is revoked." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_a_trainer_cannot_revoke(client_as, issued):
    _session, _job, (certificate, _other) = issued
    client = client_as("trainer")

    page = client.get(certificate_url(certificate, "revoke"))
    response = client.post(certificate_url(certificate, "revoke"), {"reason": "No"})

    assert page.status_code in (302, 403, 404)
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


# Re-issue --------------------------------------------------------------------------


def test_reissue_after_correcting_the_name(client_in_english, issued):
    _session, _job, (old, _other) = issued
    person_update(person=old.enrolment.person, full_name="ນາງ ບົວພັນ ສີສຸກສະຫວັດ")
    client = client_in_english("trainer")

    page = client.get(certificate_url(old, "reissue"))
    response = client.post(certificate_url(old, "reissue"))

    assert "a new number and a new verification code" in page.content.decode()
    assert "ນາງ ບົວພັນ ສີສຸກສະຫວັດ" in page.content.decode()
    new = Certificate.objects.get(replaces=old)
    assert response.status_code == 302
    assert response["Location"] == certificate_url(new, "inspect")
    old.refresh_from_db()
    assert old.status == Certificate.Status.REPLACED
    assert new.status == Certificate.Status.VALID
    assert new.number != old.number and new.code != old.code
    assert new.holder_name == "ນາງ ບົວພັນ ສີສຸກສະຫວັດ"


def test_a_manager_cannot_reissue(client_as, issued):
    _session, _job, (certificate, _other) = issued

    response = client_as("manager").post(certificate_url(certificate, "reissue"))

    assert response.status_code in (302, 403)
    assert not Certificate.objects.filter(replaces=certificate).exists()


def test_a_revoked_certificate_cannot_be_reissued(client_in_english, issued):
    _session, _job, (certificate, _other) = issued
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED
    )

    response = client_in_english("admin").post(
        certificate_url(certificate, "reissue"), follow=True
    )

    assert "Only a valid certificate can be re-issued." in response.content.decode()
    assert not Certificate.objects.filter(replaces=certificate).exists()


# Templates -------------------------------------------------------------------------


def test_an_editor_changes_the_wording_logos_seal_and_signatories(client_as):
    template = CertificateTemplate.objects.create(name="Default")
    url = reverse("certificate_templates:edit", args=[template.pk])
    client = client_as("editor")
    form = client.get(url)
    partner, seal = make_image("ILO", "#0055aa"), make_image("seal", "#cc0000")

    response = client.post(
        url,
        {
            "name": "Default",
            "course": "",
            "national_header_lo": template.national_header_lo,
            "national_header_en": "",
            "motto_lo": template.motto_lo,
            "motto_en": "",
            "place_lo": "ແຂວງຈຳປາສັກ",
            "place_en": "Champasak Province",
            "seal": seal.pk,
            "partner_logos-TOTAL_FORMS": "1",
            "partner_logos-INITIAL_FORMS": "0",
            "partner_logos-MIN_NUM_FORMS": "0",
            "partner_logos-MAX_NUM_FORMS": "1000",
            "partner_logos-0-image": partner.pk,
            "partner_logos-0-name": "ILO",
            "partner_logos-0-ORDER": "1",
            "heading_lo": "ໃບຢັ້ງຢືນ",
            "heading_en": "Certificate of participation",
            "statement_lo": template.statement_lo,
            "statement_en": template.statement_en,
            "issuer_lo": template.issuer_lo,
            "issuer_en": template.issuer_en,
            "logo": "",
            "signatories-TOTAL_FORMS": "1",
            "signatories-INITIAL_FORMS": "0",
            "signatories-MIN_NUM_FORMS": "0",
            "signatories-MAX_NUM_FORMS": "1000",
            "signatories-0-name": "Mr Director",
            "signatories-0-title_lo": "ຫົວໜ້າ",
            "signatories-0-title_en": "Director General",
            "signatories-0-signature": "",
            "signatories-0-ORDER": "1",
        },
    )

    assert form.status_code == 200
    assert response.status_code == 302, response.content.decode()[:2000]
    template.refresh_from_db()
    assert template.heading_en == "Certificate of participation"
    assert list(template.signatories.values_list("title_en", flat=True)) == [
        "Director General"
    ]
    assert template.seal == seal and template.national_header_en == ""
    assert template.place_lo == "ແຂວງຈຳປາສັກ"
    assert [(p.name, p.image) for p in template.partner_logos.all()] == [
        ("ILO", partner)
    ]


def preview_url(template):
    return reverse("certificate_templates:preview", args=[template.pk])


def test_the_preview_is_a_sample_certificate_in_pdf(client_as, official_template):
    response = client_as("editor").get(preview_url(official_template))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    # Marked across the page (slanted text that text extraction scrambles) and in
    # the file's title: never taken for a real certificate.
    assert PdfReader(io.BytesIO(response.content)).metadata.title == "ຕົວຢ່າງ · Sample"
    text = pdf_text(response.content)
    assert "ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ" in text
    assert "ທ່ານ ສຸລິຍາ ວົງສາ" in text  # its signatory


def test_the_edit_page_and_the_listing_offer_the_preview(
    client_in_english, official_template
):
    client = client_in_english("editor")
    edit = client.get(
        reverse("certificate_templates:edit", args=[official_template.pk])
    ).content.decode()
    listing = client.get(reverse("certificate_templates:index")).content.decode()

    for html in (edit, listing):
        assert f'href="{preview_url(official_template)}"' in html
        assert "Preview (PDF)" in html


def test_only_those_who_change_templates_preview_them(client_as, official_template):
    assert client_as("trainer").get(preview_url(official_template)).status_code in (
        302,
        403,
    )
    missing = reverse("certificate_templates:preview", args=[999999])
    assert client_as("editor").get(missing).status_code == 404


def test_trainers_do_not_edit_templates(client_as):
    template = CertificateTemplate.objects.create(name="Default")

    response = client_as("trainer").get(
        reverse("certificate_templates:edit", args=[template.pk])
    )

    assert response.status_code in (302, 403)


def test_one_participant_is_issued_from_the_session_page(client_in_english, graduates):
    session, enrolments = graduates
    client = client_in_english("trainer")

    response = client.post(
        reverse("certificates:issue_one", args=[session.pk, enrolments[0].pk]),
        follow=True,
    )

    assert "issued to ນາງ ບົວພັນ ສີສຸກ" in response.content.decode()
    certificate = Certificate.objects.get()
    assert certificate.enrolment == enrolments[0] and certificate.pdf
    assert (
        client_in_english("trainer2")
        .post(reverse("certificates:issue_one", args=[session.pk, enrolments[0].pk]))
        .status_code
        == 404
    )


# Issue date ------------------------------------------------------------------------


def test_only_an_administrator_is_offered_the_issue_date_form(
    client_in_english, issued
):
    _session, _job, (certificate, _other) = issued
    url = certificate_url(certificate, "issue_date")

    # One test client: each sign-in replaces the one before.
    admin = client_in_english("admin")
    admin_page = admin.get(certificate_url(certificate, "inspect")).content.decode()
    admin_form = admin.get(url)
    manager = client_in_english("manager")
    manager_page = manager.get(certificate_url(certificate, "inspect")).content.decode()
    manager_form = manager.get(url)
    manager_post = manager.post(url, {"issued_on": "2022-06-20", "reason": "x"})

    assert url in admin_page
    assert admin_form.status_code == 200
    assert "Why does the date change?" in admin_form.content.decode()
    assert url not in manager_page
    assert manager_form.status_code in (302, 403)
    assert manager_post.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.issued_on == datetime.date(2022, 6, 16)


def test_an_administrator_changes_the_issue_date(client_in_english, issued):
    _session, _job, (certificate, _other) = issued
    client = client_in_english("admin")

    refused = client.post(
        certificate_url(certificate, "issue_date"),
        {"issued_on": "2022-06-20", "reason": " "},
    )
    response = client.post(
        certificate_url(certificate, "issue_date"),
        {"issued_on": "2022-06-20", "reason": "Handed out on 20 June"},
    )

    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert response.status_code == 302
    assert response["Location"] == certificate_url(certificate, "inspect")
    certificate.refresh_from_db()
    assert certificate.issued_on == datetime.date(2022, 6, 20)
    page = client.get(certificate_url(certificate, "inspect")).content.decode()
    assert "20/06/2022" in page
