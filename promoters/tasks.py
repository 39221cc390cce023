from celery import shared_task


@shared_task(name="suksa.promoters.follow_up", acks_late=True)
def follow_up_promoters() -> int:
    """Weekly: follow-ups for trained promoters without a recent meeting (safe to
    run twice)."""
    from .services import follow_up_check

    return len(follow_up_check())
