from celery import shared_task


@shared_task(name="suksa.reports.facts_rebuild", acks_late=True)
def facts_rebuild_nightly() -> int:
    """Nightly: recompute every row of the reports' facts (safe to run twice). The
    rows are kept true as data changes; this also repairs anything written past the
    application, such as a restore of part of the data or a hand-made SQL fix."""
    from .facts import facts_rebuild

    return facts_rebuild()
