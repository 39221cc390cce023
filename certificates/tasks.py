from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from audit.services import audit_actor

from .models import CertificateJob
from .services import (
    REBUILD_JOB_FILES,
    RUN_JOB,
    certificate_job_run,
    certificate_jobs_rebuild,
    certificate_jobs_requeue,
)

# A database that is briefly away (restart, failover): try again later, waiting
# longer each time, with the job shown as waiting rather than failed.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
RETRY_DELAYS = (10, 30, 90, 270, 600)


@shared_task(name=RUN_JOB, acks_late=True, bind=True)
def run_certificate_job(self, job_id: int) -> None:
    """Idempotent: a job run again (after a worker died, or a retry) issues only the
    certificates still missing, with the next numbers."""
    job = CertificateJob.objects.select_related("session__course").get(pk=job_id)
    if job.state == CertificateJob.State.DONE:
        return
    try:
        with audit_actor("certificate job", job.requested_by):
            certificate_job_run(job=job)
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= len(RETRY_DELAYS):
            _job_failed(job_id, error)
            raise
        _job_waiting(job_id, error)
        raise self.retry(
            exc=error,
            countdown=RETRY_DELAYS[self.request.retries],
            max_retries=len(RETRY_DELAYS),
        ) from error
    except Exception as error:
        # Mark the job failed for the people watching it, then let Celery log and
        # report the error as usual.
        _job_failed(job_id, error)
        raise


def _job_failed(job_id: int, error: Exception) -> None:
    with transaction.atomic():
        CertificateJob.objects.filter(pk=job_id).update(
            state=CertificateJob.State.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
        )


def _job_waiting(job_id: int, error: Exception) -> None:
    try:
        CertificateJob.objects.filter(pk=job_id).update(
            state=CertificateJob.State.PENDING,
            error=f"Retrying after {type(error).__name__}: {error}"[:500],
        )
    except TRANSIENT_ERRORS:
        pass  # the database is still away; the retry will say how it went


@shared_task(name="suksa.certificates.requeue_waiting_jobs", acks_late=True)
def requeue_waiting_certificate_jobs() -> int:
    """Every minute: send again the jobs whose sending failed (broker down)."""
    return certificate_jobs_requeue()


@shared_task(name=REBUILD_JOB_FILES, acks_late=True)
def rebuild_certificate_job_files(job_ids: list[int]) -> int:
    """After an erasure: the print PDF and ZIP of these jobs, without the person."""
    with audit_actor("certificate files"):
        return certificate_jobs_rebuild(job_ids=job_ids)
