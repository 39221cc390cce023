import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db


def _upload(client, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Leaflet",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    "name", ["leaflet.pdf", "manual.docx", "slides.pptx", "song.mp3", "clip.mp4"]
)
def test_editor_uploads_allowed_types(client_as, name):
    response = _upload(client_as("editor"), name, b"%PDF-1.4 small file")

    assert response.status_code == 302
    assert get_document_model().objects.filter(title="Leaflet").exists()


@pytest.mark.parametrize("name", ["virus.exe", "page.html", "script.js", "noext"])
def test_other_types_are_refused_with_a_clear_message(client_in_english, name):
    response = _upload(client_in_english("editor"), name, b"MZ...")

    assert response.status_code == 200
    assert "cannot be uploaded" in response.content.decode()
    assert "PDF, Office documents, images, audio and video" in (
        response.content.decode()
    )
    assert not get_document_model().objects.exists()


def test_files_over_the_size_limit_are_refused(client_in_english, settings):
    settings.SUKSA_MAX_UPLOAD_MB = 1
    content = b"%PDF" + b"0" * (1024 * 1024 + 1)

    response = _upload(client_in_english("editor"), "big.pdf", content)

    body = response.content.decode()
    assert response.status_code == 200
    assert "files can be at most 1 MB" in body
    assert not get_document_model().objects.exists()


def test_a_file_just_under_the_limit_is_accepted(client_as, settings):
    settings.SUKSA_MAX_UPLOAD_MB = 1
    content = b"%PDF" + b"0" * (1024 * 1024 - 10)

    response = _upload(client_as("editor"), "fits.pdf", content)

    assert response.status_code == 302


def test_multiple_upload_refuses_other_types_too(client_in_english):
    response = client_in_english("editor").post(
        reverse("wagtaildocs:add_multiple"),
        {
            "files[]": SimpleUploadedFile("virus.exe", b"MZ..."),
            "collection": Collection.get_first_root_node().pk,
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.json()["success"] is False
    assert "cannot be uploaded" in response.json()["error_message"]
    assert not get_document_model().objects.exists()
