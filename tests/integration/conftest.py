"""Integration tests: real PostgreSQL, Redis and a Celery worker process.

They run when DATABASE_URL points at PostgreSQL and CELERY_BROKER_URL at Redis (as in
CI). Otherwise `make test` deselects them; run on their own they skip, except under
CI=true, where a missing service is a failure.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(settings.BASE_DIR)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


def _missing_services() -> str | None:
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return "DATABASE_URL does not point at PostgreSQL"
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        return "CELERY_BROKER_URL does not point at Redis"
    return None


@pytest.fixture(autouse=True)
def _require_services():
    missing = _missing_services()
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"Integration services missing in CI: {missing}")
    if missing:
        pytest.skip(missing)


@pytest.fixture
def worker_queue(transactional_db):
    """A Celery worker process on a queue of its own, using the test database."""
    queue = f"suksa-test-{uuid.uuid4().hex[:8]}"
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "--loglevel=INFO",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        _wait_until_ready(queue, worker)
        yield queue
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def _wait_until_ready(
    queue: str, worker: subprocess.Popen, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"Celery worker exited early:\n{worker.stdout.read()}")
        replies = celery_app.control.ping(
            destination=[f"{queue}@{os.uname().nodename}"], timeout=1
        )
        if replies:
            return
    worker.kill()
    pytest.fail(f"Celery worker did not start in {timeout}s:\n{worker.stdout.read()}")
