"""Load: concurrent clients against gunicorn on loopback (issues 8 and 20).

1. A database of its own — PostgreSQL ``suksa_bench_load`` on the server of
   ``DATABASE_URL`` when that is PostgreSQL, else ``var/bench/load.sqlite3`` (in WAL
   mode, see below) — with the demo loaded.
2. gunicorn (2 × cores + 1 sync workers) on a free loopback port, each worker keeping
   its database connection (``DATABASE_CONN_MAX_AGE``, 60 s as in production).
3. The floor: each kind of request alone on the idle server (one client, the median
   of ``FLOOR_SAMPLES`` requests; a sign-in is the form and its post).
4. ``SUKSA_BENCH_LOAD_CLIENTS`` clients (default 50) for ``SUKSA_BENCH_LOAD_SECONDS``
   (default 60), each picking a kind of request at random by ``MIX``'s weights:
   - public pages, anonymous: the Lao home page, the Lao materials index, a material;
   - the portal: the demo promoter (who is also a trainee) signed in, their home page;
   - the public verification page of a certificate;
   - a village meeting sent through ``/api/v1/meetings/`` with the demo promoter's
     token; a third of them replays of a meeting already sent (as a phone does when
     it never saw the answer), some while the first send is still in flight;
   - the manager's dashboard (``/admin/``), signed in as the demo manager.
   Each client signs in through the real sign-in forms (portal, admin) the first
   time it needs to, as a phone or a laptop would; those sign-ins are the kind
   ``sign-in``.
5. Prints per kind: requests per second, the floor, p50 / p99 latency under load and
   p50 as a ratio to the floor, errors (an exception, a status other than 2xx/3xx, or
   a signed-in page answered by the sign-in page); the throughput as a ratio to what
   the cores could serve at the floor's cost (cores ÷ the mix's mean floor); and the
   duplicate meetings: meetings stored more than once for one ``client_uuid``, and
   replays answered "created" (201) a second time. Goal (issue 20): 0 errors and 0
   duplicates at 50 clients for 60 s on 2 cores.

The verification rate limit (per client address) is lifted for the run: every client
here has the same address. On SQLite the database is switched to WAL (readers never
wait for the writer) and the project's busy timeout and IMMEDIATE transactions make
writers queue instead of failing ("database is locked"); SQLite still takes one write
at a time, which is what its meeting figures show. Figures only, never asserts:
``make bench`` or ``python benchmarks/load.py``.
"""

import datetime
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("SUKSA_BENCH_LOAD_SECONDS", "60"))
CLIENTS = int(os.environ.get("SUKSA_BENCH_LOAD_CLIENTS", "50"))
WORKERS = int(
    os.environ.get("SUKSA_BENCH_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1))
)
DATABASE_NAME = "suksa_bench_load"
PASSWORD = "bench-load-demo"
FLOOR_SAMPLES = 15
# How often each kind of request comes up: visitors and phones far more than the
# manager's dashboard, the heaviest page.
MIX = {
    "home": 3,
    "materials": 3,
    "material": 3,
    "verify": 3,
    "portal": 3,
    "meeting": 3,
    "dashboard": 1,
}
SIGNED_IN = {"portal": "promoter", "dashboard": "manager"}
LOGIN_PATHS = {"promoter": "/lo/portal/login/", "manager": "/admin/login/"}
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


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
    for leftover in (
        path,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
    ):
        leftover.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _seed() -> dict:
    """The demo, and what the clients need from it."""
    from django.core.management import call_command
    from django.db import connection

    from operations.demo import demo_seed

    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0, stdout=open(os.devnull, "w"))
    demo_seed(password=PASSWORD)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # kept in the file: gunicorn's too
            cursor.execute("PRAGMA journal_mode=WAL")
    return _targets()


def _targets() -> dict:
    """What the clients ask for, in the demo: paths, the promoter's token."""
    from accounts.tokens import token_create
    from certificates.models import Certificate
    from cms.models import HomePage
    from materials.models import MaterialIndexPage, MaterialPage
    from promoters.models import Promoter

    promoter = Promoter.objects.filter(
        person__user__username="promoter", status=Promoter.Status.ACTIVE
    ).first()
    lao = {"locale__language_code": "lo"}
    home = HomePage.objects.live().filter(**lao).first()
    index = MaterialIndexPage.objects.live().filter(**lao).first()
    material = (
        MaterialPage.objects.live().public().filter(**lao).order_by("path").first()
    )
    return {
        "home": home.url if home else "/lo/",
        "materials": index.url if index else None,
        "material": material.url if material else None,
        "verify": f"/verify/{Certificate.objects.filter(status='valid').first().code}/",
        "portal": "/lo/portal/",
        "dashboard": "/admin/",
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


class Answer:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for header in self.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}


def _request(port: int, method: str, path: str, body=None, headers=None) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.msg, response.read())
    finally:
        connection.close()


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _sign_in(port: int, account: str) -> dict[str, str]:
    """The account's session cookies, through the real sign-in form."""
    path = LOGIN_PATHS[account]
    form = _request(port, "GET", path)
    cookies = form.cookies()
    token = CSRF_FIELD.search(form.body)
    if form.status != 200 or not token or "csrftoken" not in cookies:
        raise RuntimeError(f"sign-in form {path}: {form.status}")
    answer = _request(
        port,
        "POST",
        path,
        body=urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": account,
                "password": PASSWORD,
            }
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": _cookie_header(cookies),
        },
    )
    cookies.update(answer.cookies())
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"sign-in {path}: {answer.status} {answer.body[:200]!r}")
    return cookies


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
    answer = _request(
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
    if answer.status == 201:
        with results.lock:
            results.created[client_uuid] += 1
    error = (
        None
        if answer.status in (200, 201)
        else f"{answer.status}: {answer.body[:200]!r}"
    )
    results.record("meeting", elapsed, error)


def _page(port: int, kind: str, path: str, cookies: dict | None) -> tuple:
    headers = {"Accept-Encoding": "gzip"}
    if cookies:
        headers["Cookie"] = _cookie_header(cookies)
    started = time.perf_counter()
    answer = _request(port, "GET", path, headers=headers)
    elapsed = time.perf_counter() - started
    error = None
    if not 200 <= answer.status < 400:
        error = f"{answer.status}: {answer.body[:200]!r}"
    elif cookies and answer.status != 200:  # sent to the sign-in page: signed out
        error = f"{answer.status} to {answer.headers.get('Location')}"
    return elapsed, error


def _client(port: int, seed: dict, results: Results, stop_at: float) -> None:
    today = datetime.date.today().isoformat()
    kinds = [kind for kind in MIX if kind == "meeting" or seed.get(kind)]
    weights = [MIX[kind] for kind in kinds]
    sessions: dict[str, dict] = {}  # this client's, per account: a phone, a laptop
    while time.monotonic() < stop_at:
        kind = random.choices(kinds, weights)[0]
        recorded = kind
        started = time.perf_counter()
        try:
            if kind == "meeting":
                _meeting(port, seed, results, today)
                continue
            cookies = None
            if kind in SIGNED_IN:
                account = SIGNED_IN[kind]
                if account not in sessions:
                    recorded = "sign-in"
                    sessions[account] = _sign_in(port, account)
                    results.record(recorded, time.perf_counter() - started)
                    recorded = kind
                cookies = sessions[account]
            elapsed, error = _page(port, kind, seed[kind], cookies)
            results.record(kind, elapsed, error)
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            results.record(
                recorded,
                time.perf_counter() - started,
                f"{type(error).__name__}: {error}",
            )


def _floor(port: int, seed: dict) -> dict[str, float]:
    """Each kind alone on the idle server: the median of FLOOR_SAMPLES requests."""
    accounts = list(LOGIN_PATHS) * FLOOR_SAMPLES
    times, sessions = [], {}
    for account in accounts[:FLOOR_SAMPLES]:  # the form and the post, both accounts
        started = time.perf_counter()
        sessions[account] = _sign_in(port, account)
        times.append(time.perf_counter() - started)
    for account in LOGIN_PATHS:
        sessions.setdefault(account, _sign_in(port, account))
    floors = {"sign-in": statistics.median(times)}
    today = datetime.date.today().isoformat()
    for kind in MIX:
        if kind != "meeting" and not seed.get(kind):
            continue
        times = []
        for _ in range(FLOOR_SAMPLES):
            if kind == "meeting":
                scratch = Results()
                _meeting(port, seed, scratch, today)
                times += scratch.latencies["meeting"]
                if scratch.errors:
                    raise SystemExit(f"meeting: {scratch.error_examples['meeting']}")
            else:
                cookies = sessions.get(SIGNED_IN.get(kind, ""))
                elapsed, error = _page(port, kind, seed[kind], cookies)
                if error:
                    raise SystemExit(f"{kind} {seed[kind]}: {error}")
                times.append(elapsed)
        floors[kind] = statistics.median(times)
    return floors


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _load_average(values: tuple) -> str:
    return " ".join(f"{value:.2f}" for value in values)


def _report(
    results: Results, elapsed: float, floors: dict, vendor: str, before: tuple
) -> None:
    from promoters.models import VillageMeeting

    cores = os.cpu_count() or 1
    print(
        f"\nLoad: {CLIENTS} clients, {elapsed:.0f} s, gunicorn {WORKERS} workers, "
        f"{cores} cores, {vendor}; load average (1, 5, 15 min) before the run "
        f"{_load_average(before)}, after {_load_average(os.getloadavg())}"
    )
    header = ("count", "req/s", "floor ms", "p50 ms", "p99 ms", "p50/floor")
    print(f"{'request':<12}" + "".join(f"{h:>10}" for h in header) + f"{'errors':>8}")
    everything = []
    for kind in [*MIX, "sign-in"]:
        latencies = results.latencies.get(kind)
        if not latencies:
            continue
        everything += latencies
        floor = floors.get(kind)
        print(
            f"{kind:<12}{len(latencies):>10}{len(latencies) / elapsed:>10.1f}"
            + (f"{floor * 1000:>10.0f}" if floor else f"{'':>10}")
            + f"{statistics.median(latencies) * 1000:>10.0f}"
            f"{_percentile(latencies, 0.99) * 1000:>10.0f}"
            + (
                f"{statistics.median(latencies) / floor:>9.1f}×"
                if floor
                else f"{'':>10}"
            )
            + f"{results.errors[kind]:>8}"
        )
    print(
        f"{'all':<12}{len(everything):>10}{len(everything) / elapsed:>10.1f}{'':>10}"
        f"{statistics.median(everything) * 1000:>10.0f}"
        f"{_percentile(everything, 0.99) * 1000:>10.0f}{'':>10}"
        f"{sum(results.errors.values()):>8}"
    )
    for kind, example in results.error_examples.items():
        print(f"  first {kind} error: {example}")
    # What the cores could serve if every request cost its floor (the mix's mean).
    served = {kind: len(results.latencies.get(kind, [])) for kind in floors}
    total = sum(served.values())
    if total:
        mean_floor = sum(floors[kind] * served[kind] for kind in floors) / total
        ceiling = cores / mean_floor
        rate = total / elapsed
        print(
            f"throughput {rate:.1f} req/s = {rate / ceiling:.2f}× the floor's "
            f"{ceiling:.1f} req/s ({cores} cores ÷ {mean_floor * 1000:.0f} ms, "
            "the mix's mean floor)"
        )
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
    errors = sum(results.errors.values())
    print(
        f"goal: 0 errors ({errors}), 0 duplicates ({stored_twice + created_twice}): "
        + ("met" if not errors and not stored_twice + created_twice else "NOT met")
    )
    for kind in MIX:
        if kind not in floors:
            print(f"{kind}: no such page in the demo; not loaded")


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 180  # workers import Django on a busy machine
    last = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            answer = _request(port, "GET", "/healthz")
            if answer.status == 200:
                return
            last = f"{answer.status}: {answer.body[:200]!r}"
        except OSError as error:
            last = f"{type(error).__name__}: {error}"
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not start: {last}")


def main() -> None:
    database_url = _database_url()
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    seed = _seed()
    from django.db import connection

    vendor = connection.vendor
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
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "SUKSA_VERIFY_RATE_PER_MINUTE": str(10**9),
            "DJANGO_LOG_LEVEL": "WARNING",
            # Each worker keeps its connection, as production does (its default).
            "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
        },
    )
    try:
        _wait_for(port, server)
        for kind in ("home", "materials", "material", "verify"):  # warm each worker
            if seed.get(kind):
                for _ in range(WORKERS):
                    _request(port, "GET", seed[kind])
        floors = _floor(port, seed)
        results = Results()
        before = os.getloadavg()
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
        _report(results, time.monotonic() - started, floors, vendor, before)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_separately() -> None:
    """Run in its own process, on its own database (from run.py)."""
    subprocess.run([sys.executable, __file__], cwd=ROOT, check=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
