import pytest

from config.health import worker_ping
from tests.factories import DistrictFactory, VillageFactory


def test_task_round_trip_through_redis_to_a_worker_process(worker_queue):
    district = DistrictFactory()
    VillageFactory(district=district)
    VillageFactory(district=district)

    result = worker_ping.apply_async(queue=worker_queue).get(timeout=60)

    # The worker answered from its own process, reading what this test committed.
    assert result["pong"] is True
    assert result["database"] == "ok"
    assert result["villages"] == 2
    assert result["districts"] == 1


@pytest.mark.django_db
def test_healthz_reports_the_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_deep_healthz_gets_an_answer_from_a_worker_process(
    client, settings, worker_queue
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.SUKSA_HEALTH_QUEUE = worker_queue

    response = client.get("/healthz?deep=1")

    assert response.status_code == 200, response.json()
    assert response.json()["worker"] == "ok"
