"""The outcome report as a file: DOCX (python-docx) and PDF (WeasyPrint), from the
sections as the user edited them. Nothing is stored."""

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from common.pdf import render_pdf

from .outcome import Section

# Word draws Lao with the complex-script font; the PDF uses the project's fonts.
LAO_FONT = "Noto Sans Lao"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def outcome_docx(sections: list[Section], *, title: str, subtitle: str) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), LAO_FONT)
    document.add_heading(title, level=0)
    if subtitle:
        document.add_paragraph(subtitle)
    for section in sections:
        document.add_heading(section.title, level=1)
        for paragraph in _paragraphs(section.text):
            document.add_paragraph(paragraph)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def outcome_pdf(
    sections: list[Section], *, title: str, subtitle: str, language: str
) -> bytes:
    with translation.override(language):
        return render_pdf(
            "reports/outcome_pdf.html",
            {
                "title": title,
                "subtitle": subtitle,
                "language": language,
                "sections": [
                    (section.title, _paragraphs(section.text)) for section in sections
                ],
            },
        )


def outcome_title() -> str:
    return _("Outcome report")
