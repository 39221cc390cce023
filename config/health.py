"""Health of the parts the application needs: the database, the broker and (asked
for) a worker."""

from celery import shared_task
from celery.exceptions import TimeoutError as ResultTimeout
from django.conf import settings
from django.db import DatabaseError, connection
from kombu import Connection
from kombu.exceptions import OperationalError as BrokerError

# How long /healthz?deep=1 waits for a worker's answer.
WORKER_TIMEOUT_SECONDS = 5


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def broker_status() -> str:
    if not settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        return "not configured"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except (BrokerError, OSError):
        return "unavailable"
    return "ok"


@shared_task(name="suksa.health.worker_ping")
def worker_ping() -> dict:
    """Answered by a worker: proves a round trip through the broker to the database."""
    from places.selectors import place_counts

    return {"pong": True, "database": database_status(), **place_counts()}


def worker_status() -> str:
    """A worker answers ``worker_ping`` through the broker, within a few seconds.

    The queue is ``SUKSA_HEALTH_QUEUE`` when set (the default queue otherwise)."""
    if broker_status() != "ok":
        return (
            "not configured" if broker_status() == "not configured" else "unavailable"
        )
    try:
        answer = worker_ping.apply_async(
            queue=getattr(settings, "SUKSA_HEALTH_QUEUE", None) or None
        ).get(timeout=WORKER_TIMEOUT_SECONDS)
    except (ResultTimeout, BrokerError, OSError):
        return "unavailable"
    return (
        "ok" if answer.get("pong") and answer.get("database") == "ok" else "unavailable"
    )
