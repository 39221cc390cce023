from celery import shared_task


@shared_task(name="suksa.trainings.follow_ups_create", acks_late=True)
def trainee_follow_ups_create() -> int:
    """Daily: the 3- and 6-month follow-ups missing for trainees of sessions that
    ended in the last six months (safe to run twice)."""
    from .services import trainee_follow_ups_ensure

    return trainee_follow_ups_ensure()
