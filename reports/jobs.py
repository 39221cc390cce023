"""Reports page downloads prepared in the background (issue 19, item 8).

An all-time or national report, the list of the people trained and the DHIS2 file can
take longer than a request should: the reader starts a job, follows it on its page
(a progress bar) and downloads the file when it is ready. The file is the one the
direct download makes (``reports.export_files``), for the same user and query; only
its owner reaches it, and it is deleted after ``SUKSA_EXPORT_JOB_HOURS``.
"""

import logging
import secrets
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from access import policy

from .export_files import ExportRefused, export_allowed, export_check, export_file
from .models import ExportJob

logger = logging.getLogger(__name__)

# Random file names: the files carry names and figures, and are served only by the
# job's download view.
FILE_STEM_BYTES = 18
ACTIVE = (ExportJob.State.PENDING, ExportJob.State.RUNNING)


def _lifetime() -> timedelta:
    return timedelta(hours=settings.SUKSA_EXPORT_JOB_HOURS)


# Selectors ----------------------------------------------------------------------------


def export_job_of(user, job_id) -> ExportJob | None:
    """The job if the user asked for it; None for anyone else's."""
    try:
        return policy.export_jobs_visible(user).filter(pk=int(job_id)).first()
    except (TypeError, ValueError):
        return None


# Services -----------------------------------------------------------------------------


def export_job_start(
    *, user, kind: str, file_format: str, query: str, language: str
) -> ExportJob:
    """Queue a download; the same one already waiting or running is returned
    instead (a second click). Refused as the direct download would be:
    ``PermissionDenied``, ``Http404`` or ``ExportRefused``."""
    if not export_allowed(user, kind):
        raise PermissionDenied
    export_check(kind, file_format, QueryDict(query))
    active = ExportJob.objects.filter(
        requested_by=user,
        kind=kind,
        file_format=file_format,
        query=query,
        language=language,
        state__in=ACTIVE,
    ).first()
    if active is not None:
        return active
    job = ExportJob.objects.create(
        requested_by=user,
        kind=kind,
        file_format=file_format,
        query=query,
        language=language,
        expires_at=timezone.now() + _lifetime(),
    )
    transaction.on_commit(lambda: _job_send(job.pk))
    return job


def _job_send(job_id: int) -> None:
    # Sent by name (registered by ReportsConfig.ready): the task imports this module.
    run_export_job = current_app.tasks["suksa.reports.run_export_job"]
    if run_export_job.app.conf.task_always_eager:
        run_export_job.delay(job_id)  # in-process: its errors are the job's
        return
    try:
        run_export_job.apply_async((job_id,), retry=False)
    except (BrokerError, OSError):
        logger.warning("Export job %s: broker unavailable", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportJob.State.FAILED,
            refusal=translation.gettext(
                "The background queue is unavailable: use the direct download."
            ),
        )


def _progress(job: ExportJob, percent: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(progress=percent)


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Make the file as the direct download would, for the job's owner as they are
    now (a role taken away since refuses it), in their language."""
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.RUNNING, progress=10
    )
    user = job.requested_by
    with translation.override(job.language):
        if not export_allowed(user, job.kind):
            refusal = translation.gettext("You may no longer have this file.")
            return _failed(job, refusal)
        try:
            file = export_file(
                job.kind,
                job.file_format,
                QueryDict(job.query),
                user=user,
                language=job.language,
                step=lambda percent: _progress(job, percent),
            )
        except ExportRefused as refused:
            return _failed(job, refused.message)
    job.refresh_from_db()
    if job.file:
        job.file.delete(save=False)
    stem = secrets.token_urlsafe(FILE_STEM_BYTES)
    extension = job.file_format
    job.file.save(f"{stem}.{extension}", ContentFile(file.content), save=False)
    job.filename = file.filename[:200]
    job.content_type = file.content_type
    job.state = ExportJob.State.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + _lifetime()
    job.save()
    return job


def _failed(job: ExportJob, message: str) -> ExportJob:
    job.refresh_from_db()
    job.state = ExportJob.State.FAILED
    job.refusal = str(message)[:500]
    job.finished_at = timezone.now()
    job.save()
    return job


def export_jobs_delete(**lookups) -> int:
    """Delete the jobs matching ``lookups``, with their files; how many."""
    count = 0
    for job in ExportJob.objects.filter(**lookups):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


def export_jobs_expire(*, now=None) -> int:
    """Hourly: the jobs past their time go, with their files."""
    return export_jobs_delete(expires_at__lte=now or timezone.now())
