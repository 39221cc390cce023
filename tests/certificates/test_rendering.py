import datetime
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.rendering import (
    certificate_context,
    split_pages,
    template_for,
    verify_url,
)
from certificates.services import (
    certificate_issue,
    certificate_issue_date_change,
    certificate_pdf,
    certificates_render,
)

pytestmark = pytest.mark.django_db


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def rendered(graduates, tmp_path):
    _session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue(enrolment=first)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(certificate=certificate))
    return certificate, path


def test_pdf_holds_the_lao_name_number_and_course(rendered):
    certificate, path = rendered

    text = pdf_text(path)

    assert "ນາງ ບົວພັນ ສີສຸກ" in text
    assert "Bouaphanh Sisouk" in text
    assert certificate.number in text
    assert "Training of Trainers on basic social protection" in text


def test_lao_fonts_are_embedded(rendered):
    _certificate, path = rendered
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout

    lao_fonts = [line for line in fonts.splitlines() if "Lao" in line]
    assert lao_fonts and all(" yes " in line for line in lao_fonts)
    assert "DejaVu" not in fonts


def test_qr_code_decodes_to_the_verification_url(rendered, tmp_path):
    if not shutil.which("zbarimg"):
        pytest.fail("zbarimg is needed: apt-get install zbar-tools")
    certificate, path = rendered
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-singlefile",
            str(path),
            str(tmp_path / "page"),
        ],
        check=True,
    )

    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert decoded == verify_url(certificate.code)
    assert decoded.endswith(f"/verify/{certificate.code}/")


def test_pdf_is_stored_and_rendered_again_only_when_its_data_changes(rendered):
    certificate, _path = rendered
    certificate.refresh_from_db()
    stored_name, stamp = certificate.pdf.name, certificate.pdf_fingerprint

    certificate_pdf(certificate=certificate)
    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.pdf_fingerprint) == (stored_name, stamp)

    certificate.enrolment.session.course.title_en = "Basic social protection (ToT)"
    certificate.enrolment.session.course.save()
    certificate = Certificate.objects.get(pk=certificate.pk)
    certificate_pdf(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.pdf_fingerprint != stamp


def test_a_session_renders_as_one_print_file(graduates):
    _session, (first, second, _absent) = graduates
    certificates = [certificate_issue(enrolment=e)[0] for e in (first, second)]

    combined = certificates_render(certificates=certificates)

    assert combined.startswith(b"%PDF") and combined.count(b"/Type /Page\n") in (0, 2)
    assert all(Certificate.objects.get(pk=c.pk).pdf for c in certificates)


def test_each_page_splits_into_a_pdf_of_its_own(graduates, official_template, tmp_path):
    _session, (first, second, _absent) = graduates
    certificates = [certificate_issue(enrolment=e)[0] for e in (first, second)]
    combined = certificates_render(certificates=certificates)

    singles = split_pages(combined)

    assert len(singles) == 2
    for certificate, single in zip(certificates, singles, strict=True):
        reader = PdfReader(io.BytesIO(single), strict=True)
        assert len(reader.pages) == 1
        assert reader.metadata.producer.startswith("WeasyPrint")
        path = tmp_path / f"{certificate.number}.pdf"
        path.write_bytes(single)
        text = pdf_text(path)
        assert certificate.number in text and certificate.holder_name in text
        others = {c.number for c in certificates} - {certificate.number}
        assert not any(number in text for number in others)
        assert "Suksa-" in pdf_tool("pdffonts", path)
        images = pdf_tool_list("pdfimages", path)
        assert len(images) == 6  # the logos, seal and signatures of the template


def pdf_tool_list(tool: str, path) -> list[str]:
    listing = subprocess.run(
        [tool, "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [row for row in listing.splitlines()[2:] if row.split()[2] == "image"]


# An official look (issue 16, item 9) ------------------------------------------------


def pdf_tool(tool: str, path) -> str:
    return subprocess.run(
        [tool, str(path)], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def official(graduates, official_template, tmp_path):
    """Bouaphanh's certificate with the LSSO template: logos, seal, signatures."""
    _session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue(enrolment=first)
    # Issued on 17 June 2022, the day after the session.
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=datetime.datetime(2022, 6, 17, 3, 0, tzinfo=datetime.UTC),
        issued_on=datetime.date(2022, 6, 17),
    )
    certificate = Certificate.objects.get(pk=certificate.pk)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(certificate=certificate))
    return certificate, path


def test_the_certificate_prints_the_nation_the_issue_date_number_and_code(official):
    certificate, path = official

    text = pdf_text(path)

    assert "ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ" in text
    assert "ສັນຕິພາບ ເອກະລາດ ປະຊາທິປະໄຕ ເອກະພາບ ວັດທະນະຖາວອນ" in text
    assert "ນະຄອນຫຼວງວຽງຈັນ, ວັນທີ 17/06/2022" in text
    # Text extraction may split a code where the font's spacing widens a gap
    # ("H3E J"): compare without white space.
    squeezed = "".join(text.split())
    assert certificate.number in squeezed and certificate.code in squeezed
    assert "ທ່ານ ສຸລິຍາ ວົງສາ" in text and "Head of Training" in text


def test_logos_seal_and_signatures_are_printed(official):
    _certificate, path = official

    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    images = [row for row in listing.splitlines()[2:] if row.split()[2] == "image"]

    # The LSSO logo, two partners' logos, the seal and two signatures.
    assert len(images) == 6


def test_it_fits_one_a4_landscape_page_with_long_names(official):
    certificate, _path = official
    course = certificate.enrolment.session.course
    course.title_lo = "ການຝຶກອົບຮົມຄູຝຶກ ດ້ານການປົກປ້ອງສັງຄົມຂັ້ນພື້ນຖານ ສຳລັບພະນັກງານປະກັນສັງຄົມຂັ້ນແຂວງ"
    course.title_en = (
        "Training of Trainers on basic social protection for provincial "
        "social security staff"
    )
    course.save()
    Certificate.objects.filter(pk=certificate.pk).update(
        holder_name="ທ້າວ ສົມສັກດິ໌ ພົມມະວົງສາ ວົງສະຫວັນ",
        holder_latin_name="Somsack Phommavongsa Vongsavanh",
    )

    combined = certificates_render(
        certificates=[Certificate.objects.get(pk=certificate.pk)]
    )

    info = subprocess.run(
        ["pdfinfo", "-"], input=combined, capture_output=True, check=True
    ).stdout.decode()
    assert "Pages:           1" in info
    assert "841.89 x 595.276 pts (A4)" in info


def test_only_the_noto_fonts_are_embedded(official):
    _certificate, path = official

    fonts = pdf_tool("pdffonts", path).splitlines()[2:]

    assert fonts and all(
        line.split()[0].split("+")[1].startswith("Suksa-") for line in fonts
    )


def test_a_programme_abroad_prints_its_institution_and_country(tmp_path):
    from tests.factories import PersonFactory, abroad_session

    masters = abroad_session(people=[PersonFactory(full_name="ນາງ ສຸພາພອນ")])
    certificate, _ = certificate_issue(enrolment=masters.enrolments.get())
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(certificate=certificate))

    text = pdf_text(path)
    assert "Mahidol University" in text
    assert "ໄທ" in text


def test_an_older_certificate_prints_the_day_it_was_made_until_its_date_changes(
    graduates, admin_user
):
    _session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue(enrolment=first)
    Certificate.objects.filter(pk=certificate.pk).update(
        printed_on=datetime.date(2026, 12, 1)
    )
    certificate = Certificate.objects.get(pk=certificate.pk)
    template = template_for(certificate.enrolment.session.course)

    before = certificate_context(certificate, template)["issued_on"]
    certificate = certificate_issue_date_change(
        certificate=certificate,
        issued_on=datetime.date(2022, 6, 17),
        reason="Handed out the day after",
        by=admin_user,
    )
    after = certificate_context(certificate, template)["issued_on"]

    assert (before, after) == ("01/12/2026", "17/06/2022")
