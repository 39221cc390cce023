"""Reports downloads prepared in the background: start one, follow it, download it.

Only the job's owner reaches it (``access.policy.export_jobs_visible``), and only
while they may still have the direct download (``export_allowed``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .export_files import FORMATS, PEOPLE, REPORT, ExportRefused, export_allowed
from .jobs import export_job_of, export_job_start
from .models import ExportJob

# What the Reports page offers to prepare: (kind, format, PDF language or "").
DOWNLOADS = {
    "report.xlsx": (REPORT, "xlsx", ""),
    "report.csv": (REPORT, "csv", ""),
    "report.pdf.lo": (REPORT, "pdf", "lo"),
    "report.pdf.en": (REPORT, "pdf", "en"),
    "people.xlsx": (PEOPLE, "xlsx", ""),
    "people.csv": (PEOPLE, "csv", ""),
    **{f"dhis2.{fmt}": ("dhis2", fmt, "") for fmt in FORMATS["dhis2"]},
}
FINISHED = (ExportJob.State.DONE, ExportJob.State.FAILED)


def download_label(job: ExportJob) -> str:
    return f"{job.get_kind_display()} ({job.file_format.upper()})"


@require_POST
def export_job_start_view(request):
    """POST ``download`` (a key of DOWNLOADS) and ``query`` (the page's filters)."""
    back = reverse("reports_index")
    query = request.POST.get("query", "")
    choice = DOWNLOADS.get(request.POST.get("download", ""))
    if choice is None:
        raise Http404
    kind, file_format, language = choice
    if language:
        query = f"{query}&language={language}" if query else f"language={language}"
    try:
        job = export_job_start(
            user=request.user,
            kind=kind,
            file_format=file_format,
            query=query,
            language=get_language(),
        )
    except ExportRefused as refused:
        messages.error(request, refused.message)
        return redirect(f"{back}?{request.POST.get('query', '')}")
    return redirect("reports_export_job", job_id=job.pk)


def _job_for(request, job_id) -> ExportJob:
    """The user's own job (404 for anyone else's), while they may have its file."""
    job = export_job_of(request.user, job_id)
    if job is None:
        raise Http404
    if not export_allowed(request.user, job.kind):
        raise PermissionDenied
    return job


def job_heading(job: ExportJob) -> str:
    if job.state == ExportJob.State.DONE:
        return _("Download ready")
    if job.state == ExportJob.State.FAILED:
        return _("Download failed")
    return _("Preparing a download")


def job_message(job: ExportJob) -> str:
    if job.state == ExportJob.State.DONE:
        if job.expired:
            return _("This download has expired. Prepare it again.")
        return _("Ready. The file is kept until %(time)s.") % {
            "time": timezone.localtime(job.expires_at).strftime("%Y-%m-%d %H:%M")
        }
    if job.state == ExportJob.State.FAILED:
        return job.refusal or _(
            "The file could not be made. Try again, or ask an administrator to look "
            "at the job."
        )
    if job.state == ExportJob.State.RUNNING:
        return _("The file is being made.")
    return _("Waiting for the background worker.")


def job_status_data(job: ExportJob) -> dict:
    ready = job.state == ExportJob.State.DONE and bool(job.file) and not job.expired
    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "heading": job_heading(job),
        "progress": job.progress,
        "message": job_message(job),
        "file_url": (
            reverse("reports_export_job_download", args=[job.pk]) if ready else None
        ),
    }


class ExportJobView(WagtailAdminTemplateMixin, TemplateView):
    """The job's progress; static/js/job-progress.js keeps it up to date."""

    template_name = "reports/admin/export_job.html"
    page_title = gettext_lazy("Preparing a download")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        self.job = _job_for(request, kwargs["job_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return job_heading(self.job)

    def get_page_subtitle(self):
        return download_label(self.job)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reports_index"), "label": _("Reports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        status = job_status_data(self.job)
        return super().get_context_data(
            job=self.job,
            label=download_label(self.job),
            status=status,
            finished=status["state"] in FINISHED,
            **kwargs,
        )


def export_job_status(request, job_id: int) -> JsonResponse:
    response = JsonResponse(job_status_data(_job_for(request, job_id)))
    response["Cache-Control"] = "no-store"
    return response


def export_job_download(request, job_id: int) -> FileResponse:
    job = _job_for(request, job_id)
    if job.state != ExportJob.State.DONE or not job.file or job.expired:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
