"""Uploads refused by size while they stream in, before the body is read whole.

``SizeLimitedUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``: it refuses a
request whose declared length is already too large without reading it, and counts
the bytes of its files as they arrive otherwise (a chunked body declares nothing).
The cap is ``SUKSA_UPLOAD_MAX_BYTES`` for the whole site; a view that takes smaller
files (a sign-in sheet) names a lower one with ``upload_limit``. A refusal is a 400
answer with a message saying the limit (``config.views.bad_request``).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _


class UploadTooLarge(RequestDataTooBig):
    """The upload is larger than the limit; the message says the limit."""

    def __init__(self, limit: int):
        super().__init__(
            _("The file is too large: the limit is %(limit)s MB.")
            % {"limit": round(limit / 1_000_000, 1)}
        )


def upload_limit(setting: str):
    """Mark a view (function, class, or API action) as taking uploads of at most
    the number of bytes in the setting named ``setting``."""

    def mark(view):
        view.upload_max_bytes_setting = setting
        return view

    return mark


def _view_setting(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    view = match.func
    candidates = [view, getattr(view, "view_class", None), getattr(view, "cls", None)]
    actions = getattr(view, "actions", None) or {}
    action = actions.get(request.method.lower())
    if action and getattr(view, "cls", None) is not None:
        candidates.insert(0, getattr(view.cls, action, None))
    for candidate in candidates:
        setting = getattr(candidate, "upload_max_bytes_setting", None)
        if setting:
            return setting
    return None


def upload_max_bytes(request) -> int:
    """The most bytes of files this request may carry."""
    limit = settings.SUKSA_UPLOAD_MAX_BYTES
    setting = _view_setting(request)
    if setting:
        limit = min(limit, getattr(settings, setting))
    return limit


class SizeLimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of the uploaded files and stops the upload past the limit;
    passes every chunk on, unchanged, to the handlers after it."""

    def handle_raw_input(
        self, input_data, META, content_length, boundary, encoding=None
    ):
        self.limit = upload_max_bytes(self.request)
        self.received = 0
        # The form's other fields are capped by DATA_UPLOAD_MAX_MEMORY_SIZE.
        allowed = self.limit + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        if content_length and content_length > allowed:
            raise UploadTooLarge(self.limit)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(self.limit)
        return raw_data

    def file_complete(self, file_size):
        return None
