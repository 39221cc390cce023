"""Uploads are refused by size while they stream in (issue 14, item 5): a body
declared too large is not read at all, one that turns out too large is stopped at
the limit, and the answer is a 400 that says the limit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from common.uploads import SizeLimitedUploadHandler, UploadTooLarge
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


class CountingStream(io.BytesIO):
    """A request body that remembers how much of it was read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def _parse(body: bytes, *, declared: int):
    request = RequestFactory().post("/upload/")
    stream = CountingStream(body)
    meta = {
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(declared),
    }
    handlers = [SizeLimitedUploadHandler(request)]
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    handlers.append(MemoryFileUploadHandler(request))
    parser = MultiPartParser(meta, stream, handlers)
    return parser, stream


def _body(size: int) -> bytes:
    upload = SimpleUploadedFile("big.bin", b"x" * size)
    return encode_multipart(BOUNDARY, {"file": upload})


def test_a_body_declared_too_large_is_refused_before_it_is_read(settings):
    settings.SUKSA_UPLOAD_MAX_BYTES = 100_000
    parser, stream = _parse(_body(10), declared=50_000_000)

    with pytest.raises(UploadTooLarge, match="limit is 0.1 MB"):
        parser.parse()

    assert stream.bytes_read == 0


def test_a_file_past_the_limit_is_stopped_while_it_streams(settings):
    settings.SUKSA_UPLOAD_MAX_BYTES = 100_000
    body = _body(2_000_000)
    parser, stream = _parse(body, declared=len(body))

    with pytest.raises(UploadTooLarge):
        parser.parse()

    assert stream.bytes_read < len(body) / 2


def test_a_file_within_the_limit_is_received(settings):
    settings.SUKSA_UPLOAD_MAX_BYTES = 100_000
    body = _body(50_000)
    parser, _stream = _parse(body, declared=len(body))

    _post, files = parser.parse()

    assert files["file"].size == 50_000


def test_the_sheet_import_api_answers_400_with_the_sheet_limit(settings, client_as):
    settings.SUKSA_SHEET_MAX_BYTES = 10_000
    session = SessionFactory()
    upload = SimpleUploadedFile("sheet.csv", b"Full name\n" + b"x\n" * 100_000)

    response = client_as("admin").post(
        f"/api/v1/sessions/{session.pk}/import/",
        {"file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The file is too large: the limit is 0.0 MB."}


def test_the_sheet_import_page_answers_400_with_the_limit(settings, client_as):
    settings.SUKSA_SHEET_MAX_BYTES = 10_000
    session = SessionFactory()
    upload = SimpleUploadedFile("sheet.csv", b"Full name\n" + b"x\n" * 100_000)

    response = client_as("admin").post(
        f"/admin/sessions/{session.pk}/import/",
        {"file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "The file is too large: the limit is 0.0 MB." in response.content.decode()


def test_other_uploads_keep_the_site_wide_limit(settings, client_as):
    settings.SUKSA_SHEET_MAX_BYTES = 10_000
    session = SessionFactory()
    upload = SimpleUploadedFile("photo.jpg", b"x" * 50_000)

    response = client_as("admin").post(
        f"/admin/sessions/{session.pk}/attendance/", {"file": upload}
    )

    assert response.status_code != 400
