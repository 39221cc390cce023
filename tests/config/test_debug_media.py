"""In DEBUG, /media/ serves images only (issue 14, smaller finding): documents,
certificates, sheet photos and import previews have their own checking views, and
``/media//documents/…`` or ``..`` do not get around that."""

import pytest
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory

from config.views import debug_media


@pytest.fixture
def media_files():
    root = settings.MEDIA_ROOT
    files = {
        "documents/restricted.pdf": b"%PDF restricted",
        "certificate-jobs/TOT-2022-001-certificates.pdf": b"%PDF names",
        "images/cover.png": b"\x89PNG cover",
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    yield files
    for name in files:
        (root / name).unlink(missing_ok=True)


@pytest.mark.parametrize(
    "path",
    [
        "documents/restricted.pdf",
        "/documents/restricted.pdf",
        "//documents/restricted.pdf",
        "./documents/restricted.pdf",
        "images/../documents/restricted.pdf",
        "images/..\\documents/restricted.pdf",
        "certificate-jobs/TOT-2022-001-certificates.pdf",
    ],
)
def test_private_files_are_not_served_from_media(media_files, path):
    request = RequestFactory().get("/media/" + path)

    with pytest.raises(Http404):
        debug_media(request, path)


def test_images_are_served_from_media(media_files):
    request = RequestFactory().get("/media/images/cover.png")

    response = debug_media(request, "images/cover.png")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG cover"
