import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Locale

from materials.models import (
    Audience,
    MaterialFile,
    MaterialIndexPage,
    MaterialPage,
    Topic,
)
from materials.services import material_restrict, material_workflow_ensure

PDF_BYTES = b"%PDF-1.4\n% a tiny test file\n%%EOF\n"


@pytest.fixture
def library(home_pages):
    """The Lao materials library and its English translation, under review."""
    index = home_pages.add_child(
        instance=MaterialIndexPage(title="ເອກະສານ", slug="materials")
    )
    index.save_revision().publish()
    english = index.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Materials"
    english.save_revision().publish()
    english = english.specific
    for page in (index, english):
        material_workflow_ensure(index_page=page)
    return {"lo": index, "en": english}


@pytest.fixture
def make_document(db):
    def make(title="Leaflet", filename="leaflet.pdf", content=PDF_BYTES):
        document = get_document_model()(
            title=title, file=ContentFile(content, name=filename)
        )
        document._set_document_file_metadata()
        document.save()
        return document

    return make


@pytest.fixture
def topic(db):
    return Topic.objects.create(
        slug="social-security", name_lo="ການປະກັນສັງຄົມ", name_en="Social security"
    )


@pytest.fixture
def audience(db):
    return Audience.objects.create(
        slug="employers", name_lo="ນາຍຈ້າງ", name_en="Employers"
    )


@pytest.fixture
def make_material(library, make_document, django_capture_on_commit_callbacks):
    """A material page with its files; its search and reference index entries are
    written as after a commit (Wagtail's tasks run then, see config/tasks.py)."""

    def make(
        title="ພື້ນຖານການປະກັນສັງຄົມ",
        *,
        language="lo",
        summary="",
        kind=MaterialPage.Kind.LEAFLET,
        topics=(),
        audiences=(),
        files=1,
        restricted=False,
        live=True,
        slug=None,
        **fields,
    ):
        page = MaterialPage(
            title=title,
            slug=slug or f"material-{MaterialPage.objects.count() + 1}",
            summary=summary or title,
            kind=kind,
            language=fields.pop("material_language", language),
            live=live,
            **fields,
        )
        page.topics = list(topics)
        page.audiences = list(audiences)
        page.files = [
            MaterialFile(
                document=make_document(
                    title=f"{title} {number}", filename=f"file-{number}.pdf"
                ),
                label=f"File {number}",
                language=language,
            )
            for number in range(files)
        ]
        with django_capture_on_commit_callbacks(execute=True):
            library[language].add_child(instance=page)
            if live:
                page.save_revision().publish()
        if restricted:
            material_restrict(page=page)
        return page

    return make
