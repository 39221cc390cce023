"""Rendering certificates to PDF, a session's certificates in one pass.

Rendering one document per certificate spends most of its time loading and subsetting
fonts and laying out again. Here the fonts are already subset (static/fonts) and
embedded whole, a batch of certificates is laid out and written once, and each
certificate's own file is its page split out of that PDF (pypdf, no re-rendering).
"""

import base64
import hashlib
import io
import json

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from common.pdf import BASE_URL, ProjectFilesFetcher

from .models import Certificate, CertificateTemplate

TEMPLATE = "certificates/certificate_pages.html"


def verify_url(code: str) -> str:
    return settings.SUKSA_PUBLIC_BASE_URL.rstrip("/") + reverse("verify", args=[code])


def template_for(course) -> CertificateTemplate:
    template = CertificateTemplate.objects.filter(course=course).first()
    if template is None:
        template = CertificateTemplate.objects.filter(course__isnull=True).first()
    # No template yet: the built-in wording, not saved (reading never writes).
    return template or CertificateTemplate(name="Default")


MEDIA_TYPES = {"jpg": "jpeg", "svg": "svg+xml"}


def _image_data(image) -> str:
    if image is None:
        return ""
    with image.file.open("rb") as handle:
        data = base64.b64encode(handle.read()).decode()
    extension = image.file.name.rsplit(".", 1)[-1].lower()
    return f"data:image/{MEDIA_TYPES.get(extension, extension)};base64,{data}"


def _place(session) -> str:
    """Where the training was, in Lao: its district and province, or for a
    programme abroad its institution and country."""
    if session.district is None:
        with translation.override("lo"):
            country = str(session.get_country_display())
        return ", ".join(filter(None, [session.institution, country]))
    return f"{session.district.name_lo}, {session.district.province.name_lo}"


def certificate_context(
    certificate: Certificate, template: CertificateTemplate
) -> dict:
    session = certificate.enrolment.session
    course = session.course
    place = _place(session)
    return {
        "number": certificate.number,
        "code": certificate.code,
        "verify_url": verify_url(certificate.code),
        "holder_name": certificate.holder_name,
        "holder_latin_name": certificate.holder_latin_name,
        "course_lo": course.title_lo,
        "course_en": course.title_en,
        "dates": f"{session.starts_on:%d/%m/%Y} – {session.ends_on:%d/%m/%Y}",
        "place": place,
        "hours": course.hours,
        "issued_on": f"{certificate.date_printed:%d/%m/%Y}",
        **_template_context(template),
    }


def _template_context(template: CertificateTemplate) -> dict:
    """What the template puts on every certificate (images by id, read later)."""
    return {
        "national_header_lo": template.national_header_lo,
        "national_header_en": template.national_header_en,
        "motto_lo": template.motto_lo,
        "motto_en": template.motto_en,
        "place_lo": template.place_lo,
        "place_en": template.place_en,
        "seal_id": template.seal_id,
        "partner_logos": [
            {"name": partner.name, "image_id": partner.image_id}
            for partner in template.partner_logos.all()
        ],
        "heading_lo": template.heading_lo,
        "heading_en": template.heading_en,
        "statement_lo": template.statement_lo,
        "statement_en": template.statement_en,
        "issuer_lo": template.issuer_lo,
        "issuer_en": template.issuer_en,
        "logo_id": template.logo_id,
        "signatories": [
            {
                "name": s.name,
                "title_lo": s.title_lo,
                "title_en": s.title_en,
                "signature_id": s.signature_id,
            }
            for s in template.signatories.all()
        ],
        "template_updated": template.updated_at.isoformat() if template.pk else "",
    }


def fingerprint(context: dict) -> str:
    return hashlib.sha256(json.dumps(context, sort_keys=True).encode()).hexdigest()


def _with_images(context: dict, template: CertificateTemplate, images: dict) -> dict:
    """The context with images as data: URLs, each image read once per batch."""
    signatures = {
        s.signature_id: s.signature
        for s in template.signatories.all()
        if s.signature_id
    }

    def data(key, image) -> str:
        if key not in images:
            images[key] = _image_data(image)
        return images[key]

    partners = {p.image_id: p.image for p in template.partner_logos.all()}
    filled = {
        **context,
        "logo": data(("image", template.logo_id), template.logo),
        "seal": data(("image", template.seal_id), template.seal),
        "partner_logos": [
            {**p, "image": data(("image", p["image_id"]), partners.get(p["image_id"]))}
            for p in context["partner_logos"]
        ],
    }
    filled["signatories"] = [
        {
            **s,
            "signature": data(
                ("image", s["signature_id"]), signatures.get(s["signature_id"])
            ),
        }
        for s in context["signatories"]
    ]
    return filled


def render_certificates(items: list[tuple[Certificate, CertificateTemplate, dict]]):
    """Lay out all the certificates once: (combined PDF, [one PDF per certificate])."""
    images: dict = {}
    pages = [_with_images(context, template, images) for _c, template, context in items]
    combined = _pdf(pages)
    return combined, split_pages(combined)


def _pdf(pages: list[dict]) -> bytes:
    html = render_to_string(TEMPLATE, {"certificates": pages})
    fonts = FontConfiguration()
    document = HTML(
        string=html, base_url=BASE_URL, url_fetcher=ProjectFilesFetcher()
    ).render(font_config=fonts)
    return document.write_pdf(full_fonts=True)


# What the preview prints where a certificate has its holder's data: made up, and
# the page is marked as a sample.
SAMPLE_CODE = "7KQ2-M9XD-4HTW-PB3N-QC5R"


def template_preview_pdf(template: CertificateTemplate) -> bytes:
    """A sample certificate laid out with ``template``, for staff editing it."""
    course = template.course
    today = timezone.localdate()
    kind = course.kind if course else "short_course"
    prefix = settings.SUKSA_CERTIFICATE_PREFIXES[kind]
    context = {
        "sample": True,
        "number": f"{prefix}-{today.year}-0000",
        "code": SAMPLE_CODE,
        "verify_url": verify_url(SAMPLE_CODE),
        "holder_name": "ນາງ ບົວພັນ ສີສຸກ",
        "holder_latin_name": "Bouaphanh Sisouk",
        "course_lo": course.title_lo if course else "ສິດ ແລະ ພັນທະຂອງຜູ້ປະກັນຕົນ",
        "course_en": course.title_en if course else "Rights and duties of the insured",
        "dates": f"{today:%d/%m/%Y} – {today:%d/%m/%Y}",
        "place": "ເມືອງໄຊເສດຖາ, ນະຄອນຫຼວງວຽງຈັນ",
        "hours": course.hours if course else 16,
        "issued_on": f"{today:%d/%m/%Y}",
        **_template_context(template),
    }
    return _pdf([_with_images(context, template, {})])


def split_pages(pdf: bytes) -> list[bytes]:
    """One single-page PDF per page of ``pdf``, written without re-rendering.

    The pages share one resources dictionary (the embedded fonts, logos and seal,
    most of each file), so its objects are serialised once for all pages and each
    page adds only its own dictionary and content stream: copying page by page with
    pypdf's writer cost as much again as laying the page out."""
    reader = PdfReader(io.BytesIO(pdf))
    size = int(reader.trailer["/Size"])
    info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
    lang = reader.trailer["/Root"].get("/Lang")
    closures: dict[int, dict] = {}
    serialised: dict[int, bytes] = {}
    singles = []
    for page in reader.pages:
        own = page.indirect_reference.idnum
        objects = {own: b""}
        for key, value in page.items():
            if key != "/Parent":
                for reference in _references(value):
                    objects.update(_closure(reference, closures))
        if info is not None:
            objects.update(_closure(info, closures))
        body = {
            idnum: _serialised(idnum, target, serialised)
            for idnum, target in objects.items()
            if idnum != own
        }
        body[own] = _object(own, _single_page_dict(page, parent=size))
        catalog = DictionaryObject(
            {NameObject("/Type"): NameObject("/Catalog")}
            | {NameObject("/Pages"): IndirectObject(size, 0, reader)}
            | ({NameObject("/Lang"): lang} if lang is not None else {})
        )
        body[size] = _object(
            size,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): ArrayObject([IndirectObject(own, 0, reader)]),
                    NameObject("/Count"): NumberObject(1),
                }
            ),
        )
        body[size + 1] = _object(size + 1, catalog)
        singles.append(_pdf_file(body, root=size + 1, info=info))
    return singles


# Keys that point back up the page tree: followed, they would copy every page.
BACK_REFERENCES = {"/Parent", "/P"}


def _references(value):
    """The indirect objects ``value`` names directly (not through another one)."""
    if isinstance(value, IndirectObject):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in BACK_REFERENCES:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _closure(reference: IndirectObject, closures: dict) -> dict:
    """Every object ``reference`` needs, itself included, by object number."""
    if reference.idnum not in closures:
        target = reference.get_object()
        found = {reference.idnum: target}
        closures[reference.idnum] = found  # a cycle stops here
        for inner in _references(target):
            found.update(_closure(inner, closures))
    return closures[reference.idnum]


def _object(idnum: int, target) -> bytes:
    output = io.BytesIO()
    output.write(b"%d 0 obj\n" % idnum)
    target.write_to_stream(output)
    output.write(b"\nendobj\n")
    return output.getvalue()


def _serialised(idnum: int, target, serialised: dict) -> bytes:
    if idnum not in serialised:
        serialised[idnum] = _object(idnum, target)
    return serialised[idnum]


def _single_page_dict(page, *, parent: int) -> DictionaryObject:
    single = DictionaryObject(
        {key: value for key, value in page.items() if key != "/Parent"}
    )
    single[NameObject("/Parent")] = IndirectObject(parent, 0, page.pdf)
    return single


PDF_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def _pdf_file(body: dict[int, bytes], *, root: int, info) -> bytes:
    """A PDF file of these objects, with a classic cross-reference table."""
    chunks = [PDF_HEADER]
    offsets = {}
    position = len(PDF_HEADER)
    for idnum in sorted(body):
        offsets[idnum] = position
        chunks.append(body[idnum])
        position += len(body[idnum])
    table = [b"xref\n0 1\n0000000000 65535 f \n"]
    numbers = sorted(offsets)
    start = 0
    for index in range(1, len(numbers) + 1):
        if index == len(numbers) or numbers[index] != numbers[index - 1] + 1:
            run = numbers[start:index]
            table.append(b"%d %d\n" % (run[0], len(run)))
            table.extend(b"%010d 00000 n \n" % offsets[idnum] for idnum in run)
            start = index
    trailer = b"/Size %d /Root %d 0 R" % (numbers[-1] + 1, root)
    if info is not None:
        trailer += b" /Info %d 0 R" % info.idnum
    chunks += table
    chunks.append(b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, position))
    return b"".join(chunks)
