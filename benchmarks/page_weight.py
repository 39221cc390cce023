"""Page weight and throughput of the materials library (issue 5, budget: a first visit
to the index or a material page transfers at most 50 KB compressed in at most 5
requests, images and files excluded, all from the site's own host).

1. Load the demo into the benchmark database, collect static files as production does
   (hashed, precompressed) and start gunicorn on a free loopback port.
2. Headless Chromium, phone-sized, empty cache: load each page once and print what was
   transferred per resource type (compressed bytes as they crossed the wire: body and
   headers) and the request count, and the ratio to the budget. The server's access
   log counts every request, including the service worker's script, which a page's
   own network events do not show.
3. Concurrent clients (stdlib threads and http.client, loopback only) for a bounded
   time against each page: requests per second, p50 and p99 latency, errors; and
   their floor, the page alone on the idle server (median of 15 requests): p50 as a
   ratio to it, and the throughput as a ratio to what the cores serve at its cost.

Figures only, never asserts: `make bench` (benchmarks/run.py) or
`python benchmarks/page_weight.py` on its own.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
BUDGET_BYTES = 50 * 1024
BUDGET_REQUESTS = 5
LOAD_SECONDS = float(os.environ.get("SUKSA_BENCH_LOAD_SECONDS", "10"))
CLIENTS = int(os.environ.get("SUKSA_BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("SUKSA_BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
# Not counted in the budget (the issue excludes images and files).
EXCLUDED_TYPES = {"image", "media", "document-file"}
LAO_FONT = "fonts/NotoSansLao-Regular.subset.woff2"
LAO_FONT_NAME = "NotoSansLao-Regular"
MANIFEST = "/manifest.webmanifest"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "PYTHONPATH": str(ROOT),
    }


def _seed() -> tuple[str, str]:
    """The materials demo; the paths of the Lao library and a public Lao material."""
    from wagtail.models import PageViewRestriction

    from accounts.services import roles_ensure
    from cms.services import site_ensure_home_pages
    from materials.demo import materials_demo_seed
    from materials.models import MaterialIndexPage, MaterialPage

    roles_ensure()
    site_ensure_home_pages()
    materials_demo_seed()
    index = MaterialIndexPage.objects.live().get(locale__language_code="lo")
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    materials = MaterialPage.objects.live().child_of(index).order_by("path")
    public = next(
        page
        for page in materials
        if not any(page.path.startswith(path) for path in restricted)
    )
    return index.url, public.url


def _start_server(access_log: Path) -> tuple[subprocess.Popen, str]:
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"],
        cwd=ROOT,
        env=_environment(),
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(python).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            '%(m)s %(U)s %(s)s %(B)s "%(a)s"',
        ],
        cwd=ROOT,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _resource_type(request) -> str:
    kind = request.resource_type
    if kind == "other" and request.url.endswith(".webmanifest"):
        return "manifest"
    if "/static/img/" in request.url:
        return "image"
    if urlsplit(request.url).path == "/sw.js":
        return "service-worker"
    if "/files/" in request.url or "/documents/" in request.url:
        return "document-file"
    return kind


def _weigh(browser, base: str, path: str, access_log: Path) -> dict:
    """One first visit: what the tab fetched, and what the server sent."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="lo-LA",
        service_workers="allow",
    )
    fetched = []  # (type, path, compressed bytes with headers)
    other_hosts = []

    def finished(request):
        if not request.url.startswith(base):
            other_hosts.append(request.url)
            return
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        url_path = urlsplit(request.url).path
        fetched.append((_resource_type(request), url_path, size))

    context.on("requestfinished", finished)
    log_start = access_log.stat().st_size if access_log.exists() else 0
    tab = context.new_page()
    tab.goto(base + path, wait_until="networkidle")
    tab.wait_for_timeout(1500)  # the service worker registers after "load"
    context.close()
    time.sleep(0.3)
    with access_log.open() as log:
        log.seek(log_start)
        server = [line.split()[:4] for line in log if line.strip()]
    return {"fetched": fetched, "server": server, "other_hosts": other_hosts}


def _print_weight(
    name: str, result: dict, font_bytes: int, manifest_bytes: int
) -> None:
    by_type = defaultdict(lambda: [0, 0])
    for kind, _path, size in result["fetched"]:
        by_type[kind][0] += 1
        by_type[kind][1] += size
    # Fetched by the browser itself, outside the tab (the service worker's script).
    seen_paths = {path for _kind, path, _size in result["fetched"]}
    for _method, path, _status, size in result["server"]:
        if path not in seen_paths:
            by_type[f"{_type_of_path(path)} (*)"][0] += 1
            by_type[f"{_type_of_path(path)} (*)"][1] += int(size.replace("-", "0"))
    print(f"\n  {name}: first visit, phone-sized headless Chromium, empty cache")
    requests = size_total = 0
    for kind, (count, size) in sorted(by_type.items()):
        excluded = kind.split()[0] in EXCLUDED_TYPES
        if not excluded:
            requests += count
            size_total += size
        note = "  not counted (images and files)" if excluded else ""
        print(f"    {kind:<18} {count:>2} request(s) {size:>8,} bytes{note}")
    if any(kind.endswith("(*)") for kind in by_type):
        print("    (*) seen only in the server log: body bytes, headers not included")
    print(_budget_line("counted", requests, size_total))
    paths = [path for _kind, path, _size in result["fetched"]] + [
        line[1] for line in result["server"]
    ]
    missing = []
    if not any(LAO_FONT_NAME in path for path in paths):
        missing.append((f"{LAO_FONT} (this machine has Noto Sans Lao)", font_bytes))
    if MANIFEST not in paths:
        missing.append((f"{MANIFEST} (Chrome on a phone asks for it)", manifest_bytes))
    if missing:
        print("    a phone without Noto Sans Lao also fetches:")
        for name, size in missing:
            print(f"      {name}: {size:,} bytes")
        print(
            _budget_line(
                "worst case",
                requests + len(missing),
                size_total + sum(size for _name, size in missing),
            )
        )
    hosts = result["other_hosts"]
    print(f"    other hosts: {', '.join(hosts) if hosts else 'none'}")


def _manifest_bytes(base: str) -> int:
    """Compressed size with headers, as a phone would receive the manifest."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", MANIFEST, headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    body = response.read()
    headers = sum(len(f"{name}: {value}\r\n") for name, value in response.getheaders())
    connection.close()
    return len(body) + headers


def _budget_line(label: str, requests: int, size: int) -> str:
    return (
        f"    {label}: {requests} request(s), {size:,} bytes = "
        f"{requests / BUDGET_REQUESTS:.0%} of the {BUDGET_REQUESTS} requests and "
        f"{size / BUDGET_BYTES:.0%} of the {BUDGET_BYTES:,} bytes budgeted"
    )


def _type_of_path(path: str) -> str:
    if path == "/sw.js":
        return "service-worker"
    if path.endswith(".webmanifest"):
        return "manifest"
    if path.startswith("/media/"):
        return "image"
    return "other"


def _load(base: str, path: str, seconds: float) -> dict:
    """CLIENTS threads, each with a keep-alive connection, GET ``path`` until time."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        mine, failed = [], []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed.append(str(response.status))
            except (OSError, http.client.HTTPException) as error:
                failed.append(type(error).__name__)
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else 0,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0,
        "errors": errors,
    }


def _floor(base: str, path: str, samples: int = 15) -> float:
    """One request alone on the idle server, in ms: the median of ``samples``."""
    host, port = base.removeprefix("http://").split(":")
    times = []
    for _ in range(samples):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        started = time.perf_counter()
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        connection.getresponse().read()
        times.append(time.perf_counter() - started)
        connection.close()
    return statistics.median(times) * 1000


def _print_load(name: str, result: dict, floor: float) -> None:
    errors = result["errors"]
    print(
        f"  {name:<16} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f} ms  "
        f"p99 {result['p99']:6.1f} ms  {result['requests']} requests, "
        f"{len(errors)} errors{(' ' + str(sorted(set(errors)))) if errors else ''}"
    )
    # With CLIENTS clients on the cores, p50 is about CLIENTS ÷ cores × the floor.
    cores = os.cpu_count() or 1
    print(
        f"  {'':<16} floor (alone) {floor:6.1f} ms: "
        f"p50/floor {result['p50'] / floor:.1f}×, "
        f"throughput {result['rps']:.1f} req/s = "
        f"{result['rps'] * floor / 1000 / cores:.2f}× the cores' "
        f"{cores * 1000 / floor:.1f} req/s at the floor's cost"
    )


def main() -> None:
    from django.contrib.staticfiles import finders

    print("\nPage weight of the materials library (budget: 5 requests, 50 KB)")
    index_path, material_path = _seed()
    font_bytes = Path(finders.find(LAO_FONT)).stat().st_size
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    access_log = bench_dir / "access.log"
    access_log.unlink(missing_ok=True)
    server, base = _start_server(access_log)
    try:
        pages = {"index": index_path, "material page": material_path}
        if CHROMIUM.exists():
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM),
                    headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-quic"],
                )
                for name, path in pages.items():
                    _print_weight(
                        f"{name} {path}",
                        _weigh(browser, base, path, access_log),
                        font_bytes,
                        _manifest_bytes(base),
                    )
                browser.close()
        else:
            print(f"  {CHROMIUM} is missing: no page weight measured")
        print(
            f"\n  gunicorn, {WORKERS} workers, {CLIENTS} concurrent clients, "
            f"{LOAD_SECONDS:.0f} s per page, loopback, anonymous"
        )
        for name, path in pages.items():
            floor = _floor(base, path)
            _print_load(name, _load(base, path, LOAD_SECONDS), floor)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_separately() -> None:
    """Run this benchmark in its own process, on its own database (from run.py)."""
    subprocess.run([sys.executable, __file__], cwd=ROOT, check=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    # Its own SQLite file, shared with gunicorn; never the developer's database.
    bench_db = ROOT / "var" / "bench" / "page_weight.sqlite3"
    bench_db.parent.mkdir(parents=True, exist_ok=True)
    bench_db.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{bench_db}"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    main()
