from celery import shared_task
from django.db import transaction

from .models import CertificateJob


@shared_task(name="suksa.certificates.run_job", acks_late=True)
def run_certificate_job(job_id: int) -> None:
    from .services import certificate_job_run

    job = CertificateJob.objects.select_related("session__course").get(pk=job_id)
    if job.state == CertificateJob.State.DONE:
        return
    try:
        certificate_job_run(job=job)
    except Exception as error:
        # Mark the job failed for the people watching it, then let Celery log and
        # report the error as usual.
        with transaction.atomic():
            CertificateJob.objects.filter(pk=job_id).update(
                state=CertificateJob.State.FAILED,
                error=f"{type(error).__name__}: {error}"[:500],
            )
        raise
