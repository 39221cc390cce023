from unittest import mock

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_healthy_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_unavailable_when_the_database_does_not_answer(client):
    with mock.patch("config.health.connection.cursor", side_effect=DatabaseError):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "broker": "not configured",
    }


def test_unreachable_broker_makes_it_unavailable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"


def test_deep_check_without_a_broker_says_the_worker_is_not_configured(client):
    response = client.get("/healthz?deep=1")

    assert response.status_code == 200
    assert response.json()["worker"] == "not configured"


def test_a_worker_that_does_not_answer_makes_it_unavailable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with (
        mock.patch("config.health.broker_status", return_value="ok"),
        mock.patch(
            "config.health.worker_ping.apply_async",
            side_effect=TimeoutError("no worker"),
        ),
    ):
        response = client.get("/healthz?deep=1")

    assert response.status_code == 503
    assert response.json()["worker"] == "unavailable"


def test_unknown_parameters_are_refused(client):
    response = client.get("/healthz?verbose=1")

    assert response.status_code == 400
    assert response.json()["accepted"] == {"deep": ["0", "1"]}
