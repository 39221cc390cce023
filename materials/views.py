"""Serving a material's files: privacy checked, download counted, large-file headers."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from wagtail.models import PageViewRestriction
from wagtail.wagtail_hooks import require_wagtail_login

from common.network import client_address

from .models import MaterialFile
from .services import download_record


def access_denied(request, page):
    """None when the request may read ``page``; else the response to send instead.

    Anonymous visitors go to the login page; signed-in users without the right group
    get a 404, so a restricted material's existence is not confirmed.
    """
    for restriction in page.get_view_restrictions():
        if restriction.accept_request(request):
            continue
        if (
            not request.user.is_authenticated
            and restriction.restriction_type != PageViewRestriction.PASSWORD
        ):
            return require_wagtail_login(next=request.get_full_path())
        raise Http404
    return None


def document_response(document) -> HttpResponse:
    """The document's bytes with type, length and file name; nginx may send them."""
    inline_types = getattr(
        settings, "WAGTAILDOCS_INLINE_CONTENT_TYPES", ["application/pdf", "text/plain"]
    )
    as_attachment = document.content_type not in inline_types
    accel_prefix = settings.SUKSA_DOCUMENTS_X_ACCEL_PREFIX
    if accel_prefix:
        response = HttpResponse(content_type=document.content_type)
        response["X-Accel-Redirect"] = (
            accel_prefix.rstrip("/") + "/" + quote(document.file.name)
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment, document.filename
        )
    else:
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=as_attachment,
            filename=document.filename,
            content_type=document.content_type,
        )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def file_download(request, file_id: int, filename: str):
    material_file = get_object_or_404(
        MaterialFile.objects.select_related("document__collection", "page"), pk=file_id
    )
    document = material_file.document
    page = material_file.page
    if document.filename != filename:
        raise Http404
    if not page.live:
        # A draft's files: only for those who may edit it (previews), not counted.
        if not page.permissions_for_user(request.user).can_edit():
            raise Http404
        return document_response(document)
    denied = access_denied(request, page) or _collection_denied(request, document)
    if denied is not None:
        return denied
    download_record(
        material_file=material_file,
        user=request.user,
        address=client_address(request),
        range_header=request.headers.get("Range", ""),
    )
    return document_response(document)


def _collection_denied(request, document):
    for restriction in document.collection.get_view_restrictions():
        if not restriction.accept_request(request):
            if not request.user.is_authenticated:
                return require_wagtail_login(next=request.get_full_path())
            raise Http404
    return None
