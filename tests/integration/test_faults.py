"""Background jobs and the web survive faults (issue 8, item 8).

- A worker killed (SIGKILL) in the middle of a bulk certificate job: a new worker
  finishes it, every certificate issued once, numbers without gaps.
- Redis gone: the web keeps serving, the job waits (marked unsent) and runs once
  Redis is back and the requeue task sends it again.
- PostgreSQL gone: ``/healthz`` answers 503, and 200 again once it is back.

The machine's shared PostgreSQL and Redis are never touched: Redis and PostgreSQL
faults use private servers started (and killed) by the test.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from kombu import pools as kombu_pools

from certificates.models import Certificate, CertificateJob
from certificates.services import NOT_SENT, certificate_jobs_requeue
from certificates.tasks import run_certificate_job
from config.celery import app as celery_app
from tests.certificates.conftest import complete
from tests.factories import PersonFactory, SessionFactory
from tests.integration.conftest import _wait_until_ready

ROOT = Path(settings.BASE_DIR)
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float, message: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(message)


def worker_environment(**overrides: str) -> dict[str, str]:
    database = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        # A message whose worker died comes back after 3 s instead of an hour.
        "CELERY_VISIBILITY_TIMEOUT": "3",
        **overrides,
    }


def start_worker(queue: str, env: dict[str, str], name: str) -> subprocess.Popen:
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "-n",
            f"{name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return worker


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def real_worker_mode():
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


def graduates(count: int):
    session = SessionFactory()
    complete(session, [PersonFactory() for _ in range(count)])
    return session


def assert_issued_once_without_gaps(session, count: int) -> None:
    certificates = Certificate.objects.filter(enrolment__session=session)
    assert certificates.count() == count
    assert (
        certificates.values("enrolment").distinct().count() == count
    )  # one per person
    numbers = sorted(certificates.values_list("number", flat=True))
    assert numbers == [f"LSSO-TOT-2022-{n:04d}" for n in range(1, count + 1)]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_is_replaced_and_the_job_finishes_once(
    real_worker_mode,
):
    count = 25
    session = graduates(count)
    job = CertificateJob.objects.create(session=session)
    queue = f"suksa-faults-{uuid.uuid4().hex[:8]}"
    env = worker_environment()
    first = start_worker(queue, env, f"{queue}-a")
    try:
        _wait_until_ready(f"{queue}-a", first)
        run_certificate_job.apply_async((job.pk,), queue=queue)
        wait_for(
            lambda: Certificate.objects.filter(enrolment__session=session).exists(),
            timeout=90,
            message="the first worker never started issuing",
            interval=0.01,
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    job.refresh_from_db()
    issued_when_killed = Certificate.objects.filter(enrolment__session=session).count()
    assert job.state != CertificateJob.State.DONE  # it really died mid-job
    time.sleep(4)  # past the visibility timeout: the message is due again

    second = start_worker(queue, env, f"{queue}-b")
    try:
        _wait_until_ready(f"{queue}-b", second)
        wait_for(
            lambda: (
                CertificateJob.objects.get(pk=job.pk).state == CertificateJob.State.DONE
            ),
            timeout=240,
            message="the job never finished after the restart",
            interval=0.5,
        )
    finally:
        stop(second)

    job.refresh_from_db()
    assert 0 < issued_when_killed <= count
    assert job.done == count
    assert job.combined_pdf and job.archive
    assert_issued_once_without_gaps(session, count)


@pytest.fixture
def private_redis(tmp_path):
    """A Redis of the test's own, to kill and restart."""
    port = free_port()

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _port_open(port), 10, "redis did not start")
        return process

    servers = {"current": start()}

    class Redis:
        url = f"redis://127.0.0.1:{port}/0"

        def kill(self):
            servers["current"].kill()
            servers["current"].wait()

        def restart(self):
            servers["current"] = start()

    yield Redis()
    stop(servers["current"])


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def broker(private_redis, real_worker_mode, settings):
    """This process sends tasks through the private Redis."""
    # With the CELERY_ settings namespace, these are the keys the app reads.
    keys = ("CELERY_BROKER_URL", "CELERY_BROKER_WRITE_URL")
    original = {key: celery_app.conf.get(key) for key in keys}
    celery_app.conf.update(dict.fromkeys(keys, private_redis.url))
    settings.CELERY_BROKER_URL = private_redis.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _new_connections()
    yield private_redis
    celery_app.conf.update(original)
    _new_connections()


def _new_connections() -> None:
    """Drop the pooled broker connections, so the next send uses the current URL."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps its pools per connection in a registry the app's pool belongs to:
    # without a reset, the next test's worker ping acquires from a closed pool.
    kombu_pools.reset()


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_web_serves_and_the_job_waits_then_runs(broker, client_as):
    session = graduates(3)
    client = client_as("admin")
    broker.kill()

    issue = client.post(f"/admin/certificates/session/{session.pk}/issue/")
    job = CertificateJob.objects.get(session=session)
    job_page = client.get(f"/admin/certificates/jobs/{job.pk}/")
    health = client.get("/healthz")
    verify = client.get("/verify/")

    assert issue.status_code == 302  # to the job page, not a server error
    assert job_page.status_code == 200
    assert verify.status_code == 200
    assert health.status_code == 503
    assert health.json()["broker"] == "unavailable"
    assert (job.state, job.error) == (CertificateJob.State.PENDING, NOT_SENT)
    with translation.override("en"):
        assert job.message == "Waiting for a worker to start…"
    assert certificate_jobs_requeue() == 0  # still down: still waiting, still marked
    assert CertificateJob.objects.get(pk=job.pk).error == NOT_SENT

    broker.restart()
    worker = start_worker(
        settings.CELERY_TASK_DEFAULT_QUEUE,
        worker_environment(CELERY_BROKER_URL=broker.url),
        f"redis-fault-{uuid.uuid4().hex[:6]}",
    )
    try:
        assert certificate_jobs_requeue() == 1  # what the beat task does each minute
        wait_for(
            lambda: (
                CertificateJob.objects.get(pk=job.pk).state == CertificateJob.State.DONE
            ),
            timeout=180,
            message="the job never ran after Redis came back",
            interval=0.5,
        )
    finally:
        stop(worker)
    assert CertificateJob.objects.get(pk=job.pk).error == ""
    assert_issued_once_without_gaps(session, 3)


# PostgreSQL


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture
def private_postgres():
    """A throwaway PostgreSQL cluster on a free port, to stop and start."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 server binaries are not installed")
    directory = Path(tempfile.mkdtemp(prefix="suksa-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"
    port = free_port()
    subprocess.run(
        _as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )

    def pg_ctl(*arguments: str) -> None:
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    f"-p {port} -k {directory} -c listen_addresses=127.0.0.1",
                    "-l",
                    str(directory / "log"),
                    "-w",
                    *arguments,
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    pg_ctl("start")

    class Cluster:
        url = f"postgres://postgres@127.0.0.1:{port}/postgres"

        def stop(self):
            pg_ctl("stop", "-m", "immediate")

        def start(self):
            pg_ctl("start")

    try:
        yield Cluster()
    finally:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(data), "stop", "-m", "immediate"]
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(directory, ignore_errors=True)


def _healthz(port: int) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/healthz", timeout=10
        ) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_healthz_answers_503_while_postgres_is_down_and_recovers(private_postgres):
    port = free_port()
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": private_postgres.url,
            "CELERY_BROKER_URL": "",
            "CELERY_RESULT_BACKEND": "",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _port_open(port), 60, "gunicorn did not start", 0.2)
        assert _healthz(port)[0] == 200

        private_postgres.stop()
        # An answer, not a hang: _healthz's client gives up (raises) after 10 s.
        status, body = _healthz(port)
        assert status == 503
        assert '"database": "unavailable"' in body

        private_postgres.start()
        wait_for(lambda: _healthz(port)[0] == 200, 30, "never recovered", 0.5)
    finally:
        stop(web)
