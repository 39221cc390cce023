from celery import shared_task


@shared_task(
    name="suksa.people.anonymise_inactive",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def anonymise_inactive_people() -> int:
    """Daily: anonymise people inactive for SUKSA_RETENTION_YEARS (idempotent)."""
    from .privacy import people_anonymise_inactive

    return people_anonymise_inactive()
