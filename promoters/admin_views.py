"""Spreadsheet export and import of promoters, meetings and centre visits."""

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from common.uploads import upload_limit
from common.views import PreviewConfirmMixin

from .filters import CentreVisitFilterSet, MeetingFilterSet, PromoterFilterSet
from .forms import SpreadsheetUploadForm
from .selectors import (
    centre_visits_visible_to,
    meetings_visible_to,
    promoters_visible_to,
)
from .sheets import KINDS, export_file, spreadsheet_import, user_may_import

IMPORT_STORAGE_DIR = "promoter-imports"

LISTS = {
    "promoters": (
        promoters_visible_to,
        PromoterFilterSet,
        "promoters.view_promoter",
        "promoters:index",
        gettext_lazy("Import promoters"),
    ),
    "meetings": (
        meetings_visible_to,
        MeetingFilterSet,
        "promoters.view_villagemeeting",
        "village_meetings:index",
        gettext_lazy("Import village meetings"),
    ),
    "visits": (
        centre_visits_visible_to,
        CentreVisitFilterSet,
        "promoters.view_centrevisit",
        "centre_visits:index",
        gettext_lazy("Import centre visits"),
    ),
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filter_query(request) -> str:
    """The listing's filters (not its page number) for the export link."""
    query = request.GET.copy()
    query.pop("p", None)
    return f"?{query.urlencode()}" if query else ""


def export_view(request, kind: str, file_format: str):
    if kind not in LISTS or file_format not in CONTENT_TYPES:
        raise Http404
    visible, filterset_class, permission, _index, _title = LISTS[kind]
    if not request.user.has_perm(permission):
        raise PermissionDenied
    queryset = visible(request.user)
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and filterset.is_valid():
        queryset = filterset.qs
    content = export_file(
        kind=kind, queryset=queryset, user=request.user, file_format=file_format
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{kind}-{stamp}.{file_format}"'
    )
    return response


@upload_limit("SUKSA_SHEET_MAX_BYTES")
class ImportView(PreviewConfirmMixin, WagtailAdminTemplateMixin, TemplateView):
    """Upload, read the preview, confirm: nothing is saved before the confirmation."""

    template_name = "promoters/admin/import.html"
    header_icon = "upload"
    upload_form_class = SpreadsheetUploadForm
    preview_folder = IMPORT_STORAGE_DIR
    preview_session_key = "promoter_imports"
    expired_message = gettext_lazy("This preview has expired. Upload the file again.")

    def preview_scope(self):
        return self.kind

    def dispatch(self, request, *args, **kwargs):
        self.kind = kwargs["kind"]
        if self.kind not in KINDS:
            raise Http404
        if not user_may_import(request.user, self.kind):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return LISTS[self.kind][4]

    def index_url(self) -> str:
        return reverse(LISTS[self.kind][3])

    def get_context_data(self, **kwargs):
        kwargs.pop("kind", None)  # the URL's, set below from the checked value
        return super().get_context_data(
            kind=self.kind,
            index_url=self.index_url(),
            template_url=reverse("promoters_sheets:export", args=[self.kind, "xlsx"]),
            **kwargs,
        )

    def run_import(self, *, content, filename, dry_run, **options):
        return spreadsheet_import(
            kind=self.kind,
            content=content,
            filename=filename,
            user=self.request.user,
            dry_run=dry_run,
        )

    def imported(self, report):
        messages.success(
            self.request,
            _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "new": report.new,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        return redirect(self.index_url())


def meeting_photo(request, pk: int):
    """The photo of a meeting's signed sheet, for those who may see the meeting.

    It shows names and signatures, so it is never served from /media/: the file has
    a random name and only this view hands it out, uncached."""
    meeting = meetings_visible_to(request.user).filter(pk=pk).first()
    if meeting is None or not meeting.photo:
        raise Http404
    content_type = mimetypes.guess_type(meeting.photo.name)[0]
    response = FileResponse(
        meeting.photo.open("rb"),
        content_type=content_type or "application/octet-stream",
        filename=f"meeting-{meeting.pk}{PurePath(meeting.photo.name).suffix}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
