from celery import shared_task


@shared_task(name="suksa.reports.facts_rebuild", acks_late=True)
def facts_rebuild_nightly() -> int:
    """Nightly: recompute every row of the reports' facts (safe to run twice). The
    rows are kept true as data changes; this also repairs anything written past the
    application, such as a restore of part of the data or a hand-made SQL fix."""
    from .facts import facts_rebuild

    return facts_rebuild()


@shared_task(name="suksa.reports.facts_refresh_of", acks_late=True)
def facts_refresh_of(
    course: int | None = None,
    organisation: int | None = None,
    district: int | None = None,
) -> int:
    """After a commit that changed a field the facts copy from a course, an
    organisation or a district: recompute the rows of everyone it reaches (safe to
    run twice). Returns how many people."""
    from .facts import facts_refresh_of as refresh

    scope = {"course": course, "organisation": organisation, "district": district}
    return refresh(**{name: value for name, value in scope.items() if value})


@shared_task(name="suksa.reports.run_export_job", acks_late=True)
def run_export_job(job_id: int) -> None:
    """A Reports download in the background; a job already done is left alone."""
    from django.db import transaction

    from .jobs import export_job_run
    from .models import ExportJob

    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.state == ExportJob.State.DONE:
        return
    try:
        export_job_run(job=job)
    except Exception as error:
        # Failed for the reader watching it; Celery logs and reports the error.
        with transaction.atomic():
            ExportJob.objects.filter(pk=job_id).update(
                state=ExportJob.State.FAILED,
                error=f"{type(error).__name__}: {error}"[:500],
            )
        raise


@shared_task(name="suksa.reports.export_jobs_expire", acks_late=True)
def export_jobs_expire_hourly() -> int:
    """Hourly: downloads prepared in the background are deleted once expired."""
    from .jobs import export_jobs_expire

    return export_jobs_expire()


@shared_task(name="suksa.reports.figures_warm", acks_late=True)
def figures_warm(version: str | None = None) -> int:
    """After a commit that changed the reports' data: recompute the common views'
    figures (this year, last year, all time, each province) under the new version,
    so the pages managers open are read from the cache. A task whose version was
    already replaced does nothing (the later write's task warms): a burst of writes
    costs one warming. Returns how many views were warmed."""
    from .facts import FACTS, OUTREACH, facts_versions
    from .warming import figures_warm as warm

    if version is not None and version not in {
        facts_versions((part,)) for part in (FACTS, OUTREACH)
    }:
        return 0
    return warm()
