"""Load: concurrent clients against gunicorn on loopback (issue 8, item 9).

1. A database of its own — PostgreSQL ``suksa_bench_load`` on the server of
   ``DATABASE_URL`` when that is PostgreSQL, else ``var/bench/load.sqlite3`` —
   with the demo loaded.
2. gunicorn (2 × cores + 1 workers) on a free loopback port.
3. ``SUKSA_BENCH_LOAD_CLIENTS`` clients (default 50) for ``SUKSA_BENCH_LOAD_SECONDS``
   (default 20) each loop over: the public verification page of a certificate, the
   Lao materials index, and a village meeting sent through ``/api/v1/meetings/`` as
   the demo promoter — a third of them replays of a meeting already sent (as a phone
   does when it never saw the answer), some while the first send is still in flight.
4. Prints requests per second, p50 / p99 latency and errors per kind of request, and
   the duplicate meetings: meetings stored more than once for one ``client_uuid``,
   and replays answered "created" (201) a second time. Goal: no errors and no
   duplicates at 50 clients on 2 cores.

The verification rate limit (per client address) is lifted for the run: every client
here has the same address. Figures only, never asserts: ``make bench`` or
``python benchmarks/load.py``.
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("SUKSA_BENCH_LOAD_SECONDS", "20"))
CLIENTS = int(os.environ.get("SUKSA_BENCH_LOAD_CLIENTS", "50"))
WORKERS = int(
    os.environ.get("SUKSA_BENCH_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1))
)
DATABASE_NAME = "suksa_bench_load"
PASSWORD = "bench-load-demo"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """This benchmark's own database, fresh each run."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {DATABASE_NAME}")
        return urlunsplit(parts._replace(path=f"/{DATABASE_NAME}"))
    path = ROOT / "var" / "bench" / "load.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _seed() -> dict:
    """The demo, and what the clients need from it."""
    from django.core.management import call_command

    from accounts.tokens import token_create
    from certificates.models import Certificate
    from materials.models import MaterialIndexPage
    from operations.demo import demo_seed
    from promoters.models import Promoter

    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0, stdout=open(os.devnull, "w"))
    demo_seed(password=PASSWORD)
    promoter = Promoter.objects.filter(
        person__user__username="promoter", status=Promoter.Status.ACTIVE
    ).first()
    index = MaterialIndexPage.objects.live().filter(locale__language_code="lo").first()
    return {
        "verify": f"/verify/{Certificate.objects.filter(status='valid').first().code}/",
        "materials": index.url if index else None,
        "token": token_create(
            user=promoter.person.user, name="benchmark", second_factor=False
        )[1],
        "promoter": promoter.pk,
        "village": promoter.village_id,
    }


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = Counter()
        self.error_examples = {}
        self.sent = []  # client_uuids sent, replays included
        self.created = Counter()  # 201 answers per client_uuid

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind] += 1
                self.error_examples.setdefault(kind, error)


def _request(port: int, method: str, path: str, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _meeting(port: int, seed: dict, results: Results, today: str) -> None:
    with results.lock:
        replay = results.sent and random.random() < 1 / 3
        # Replays pick among the latest sends, often still being answered.
        client_uuid = random.choice(results.sent[-20:]) if replay else str(uuid.uuid4())
        results.sent.append(client_uuid)
    payload = {
        "client_uuid": client_uuid,
        "date": today,
        "village": seed["village"],
        "led_by": [seed["promoter"]],
        "turnout": {"women": 7, "men": 5},
        "registrations": {"women": 2, "men": 1},
        "notes": "Load test",
    }
    started = time.perf_counter()
    status, body = _request(
        port,
        "POST",
        "/api/v1/meetings/",
        body=json.dumps(payload),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Token {seed['token']}",
        },
    )
    elapsed = time.perf_counter() - started
    if status == 201:
        with results.lock:
            results.created[client_uuid] += 1
    error = None if status in (200, 201) else f"{status}: {body[:200]!r}"
    results.record("meeting", elapsed, error)


def _page(port: int, kind: str, path: str, results: Results) -> None:
    started = time.perf_counter()
    status, body = _request(port, "GET", path, headers={"Accept-Encoding": "gzip"})
    error = None if status == 200 else f"{status}: {body[:200]!r}"
    results.record(kind, time.perf_counter() - started, error)


def _client(port: int, seed: dict, results: Results, stop_at: float) -> None:
    import datetime

    today = datetime.date.today().isoformat()
    kinds = ["verify", "meeting"] + (["materials"] if seed["materials"] else [])
    while time.monotonic() < stop_at:
        kind = random.choice(kinds)
        try:
            if kind == "meeting":
                _meeting(port, seed, results, today)
            else:
                _page(port, kind, seed[kind], results)
        except (OSError, http.client.HTTPException) as error:
            results.record(kind, 0.0, f"{type(error).__name__}: {error}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _report(results: Results, elapsed: float) -> None:
    from promoters.models import VillageMeeting

    print(
        f"\nLoad: {CLIENTS} clients, {elapsed:.0f} s, gunicorn {WORKERS} workers, "
        f"{os.cpu_count()} cores"
    )
    header = ("count", "req/s", "p50 ms", "p99 ms")
    print(f"{'request':<12}" + "".join(f"{h:>9}" for h in header) + f"{'errors':>8}")
    everything = []
    for kind, latencies in sorted(results.latencies.items()):
        everything += latencies
        print(
            f"{kind:<12}{len(latencies):>9}{len(latencies) / elapsed:>9.1f}"
            f"{statistics.median(latencies) * 1000:>9.0f}"
            f"{_percentile(latencies, 0.99) * 1000:>9.0f}{results.errors[kind]:>8}"
        )
    print(
        f"{'all':<12}{len(everything):>9}{len(everything) / elapsed:>9.1f}"
        f"{statistics.median(everything) * 1000:>9.0f}"
        f"{_percentile(everything, 0.99) * 1000:>9.0f}"
        f"{sum(results.errors.values()):>8}"
    )
    for kind, example in results.error_examples.items():
        print(f"  first {kind} error: {example}")
    unique = set(results.sent)
    stored = Counter(
        str(value)
        for value in VillageMeeting.objects.filter(client_uuid__in=unique).values_list(
            "client_uuid", flat=True
        )
    )
    stored_twice = sum(1 for count in stored.values() if count > 1)
    created_twice = sum(1 for count in results.created.values() if count > 1)
    missing = len(unique) - len(stored)
    print(
        f"meetings: {len(results.sent)} sent, {len(results.sent) - len(unique)} "
        f"replays, {len(stored)} stored; duplicates: {stored_twice} stored twice, "
        f"{created_twice} answered 201 twice; {missing} lost"
    )
    if not seed_has_materials:
        print("materials index: no materials index page in the demo; not loaded")


seed_has_materials = True


def main() -> None:
    global seed_has_materials
    database_url = _database_url()
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    seed = _seed()
    seed_has_materials = bool(seed["materials"])
    from django.db import connection

    connection.close()
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--backlog",
            "2048",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "SUKSA_VERIFY_RATE_PER_MINUTE": str(10**9),
            "DJANGO_LOG_LEVEL": "WARNING",
        },
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)
        for path in (seed["verify"], seed["materials"]):  # warm every worker a bit
            if path:
                for _ in range(WORKERS):
                    _request(port, "GET", path)
        results = Results()
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=_client, args=(port, seed, results, started + SECONDS)
            )
            for _ in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        _report(results, time.monotonic() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_separately() -> None:
    """Run in its own process, on its own database (from run.py)."""
    subprocess.run([sys.executable, __file__], cwd=ROOT, check=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
