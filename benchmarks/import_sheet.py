"""Import a generated 10,000-row sign-in sheet, beside a plain import-export resource.

Both read the same XLSX file, parsing included. Suksa's import deduplicates people,
resolves places and organisations, validates every cell and records attendance; the
baseline is a plain django-import-export ModelResource writing the person columns to
Person rows, nothing else. Also prints queries per row
at two sheet sizes: the figure must not grow with the sheet (no N+1).

``run_separately`` (from run.py) runs it twice, each in its own process on its own
fresh database: SQLite, then PostgreSQL (the server of ``DATABASE_URL`` if it is a
PostgreSQL one, else ``SUKSA_BENCH_POSTGRES``, by default the local server with
trust authentication); a server that does not answer is said, not hidden.
"""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import tablib
from django.db import connection, transaction
from import_export import fields, resources

from common.sheets import rows_to_xlsx
from people.models import Person
from people.services import organisation_get_or_create
from places.models import District
from trainings.imports import sheet_import
from trainings.models import Course
from trainings.services import session_create
from trainings.sheets import COLUMNS_BY_KEY

ROWS = 10_000
SMALL = 1_000
ROUNDS = 3
GENDERS = ["ຍິງ", "ຊາຍ", "F", "M", "woman", "man"]
MARKS = ["1", "ມາ", "0", "L", "E", "x"]


def _column(key: str) -> fields.Field:
    return fields.Field(attribute=key, column_name=COLUMNS_BY_KEY[key].header)


class PlainPersonResource(resources.ModelResource):
    """The baseline: the same sheet's person columns, straight into Person rows."""

    full_name = _column("full_name")
    gender = _column("gender")
    birth_year = _column("birth_year")
    phone = _column("phone")
    position = _column("position")

    class Meta:
        model = Person
        fields = ("full_name", "gender", "birth_year", "phone", "position")
        import_id_fields = ()


def _session():
    course = Course.objects.create(title_lo="ທົດສອບ", title_en="Benchmark", kind="tot")
    return session_create(
        course=course,
        starts_on=datetime.date(2022, 6, 14),
        ends_on=datetime.date(2022, 6, 16),
        district=District.objects.get(code="1604"),
    )


def _rows(count: int, days: list[datetime.date]) -> list[list]:
    keys = [
        "full_name",
        "gender",
        "birth_year",
        "phone",
        "organisation",
        "position",
        "district",
        "village",
    ]
    header = [COLUMNS_BY_KEY[key].header for key in keys] + [
        d.isoformat() for d in days
    ]
    rows = [header]
    for n in range(count):
        rows.append(
            [
                f"ສົມພອນ ທົດສອບ {n}",
                GENDERS[n % 6],
                str(1960 + n % 45),
                f"020 {5000_0000 + n}",
                ["LSSO", "Oxfam", "Ministry"][n % 3],
                "ອາສາສະໝັກ",
                "ປາກຊ່ອງ",
                f"ບ້ານ {n % 40}",
            ]
            + [MARKS[(n + d) % 6] for d in range(len(days))]
        )
    return rows


def _timed(action) -> tuple[float, int, object]:
    executed = 0

    def count(execute, sql, params, many, context):
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
    return elapsed, executed, result


def _ours(rows, *, dry_run: bool):
    with transaction.atomic():
        session = _session()
        content = rows_to_xlsx(rows, title="bench")
        elapsed, queries, report = _timed(
            lambda: sheet_import(
                session=session, content=content, filename="bench.xlsx", dry_run=dry_run
            )
        )
        assert not report.errors, report.errors[:3]
        assert report.new == len(rows) - 1
        transaction.set_rollback(True)
    return elapsed, queries


def _baseline(rows, *, dry_run: bool):
    content = rows_to_xlsx(rows, title="bench")

    def run():
        dataset = tablib.Dataset().load(content, format="xlsx")
        return PlainPersonResource().import_data(dataset, dry_run=dry_run)

    with transaction.atomic():
        elapsed, queries, result = _timed(run)
        assert not result.has_errors()
        transaction.set_rollback(True)
    return elapsed, queries


def main() -> None:
    organisation_get_or_create(name="LSSO", kind="lsso")
    with transaction.atomic():
        days = [d.date for d in _session().days.all()]
        transaction.set_rollback(True)
    rows, small_rows = _rows(ROWS, days), _rows(SMALL, days)
    print(
        f"Sign-in sheet import, {ROWS:,} rows × {len(days)} days ({connection.vendor})"
    )
    for label, dry_run in (("dry run", True), ("commit", False)):
        # ROUNDS runs of each side, in turns and in alternate order, compared by
        # their total time: on a shared machine whose speed drifts (±30 % here
        # within a minute) every second of either side is as likely to be a slow
        # one. A best-of would favour the shorter runs, which catch a fast moment
        # whole more often.
        ours_total = plain_total = 0.0
        for round_number in range(ROUNDS):
            sides = [_ours, _baseline] if round_number % 2 == 0 else [_baseline, _ours]
            for side in sides:
                elapsed, queries = side(rows, dry_run=dry_run)
                if side is _ours:
                    ours_total, ours_queries = ours_total + elapsed, queries
                else:
                    plain_total, plain_queries = plain_total + elapsed, queries
        ours, plain = ours_total / ROUNDS, plain_total / ROUNDS
        print(
            f"  {label:8} suksa {ROWS / ours:8,.0f} rows/s ({ours_queries} queries)   "
            f"plain ModelResource {ROWS / plain:8,.0f} rows/s ({plain_queries} queries)"
            f"   ratio suksa/plain = {plain / ours:.2f}× as fast (goal ≥ 4×; "
            f"mean of {ROUNDS} runs each)"
        )
    _, small_queries = _ours(small_rows, dry_run=False)
    _, large_queries = _ours(rows, dry_run=False)
    grows = large_queries / ROWS > small_queries / SMALL
    verdict = "GROWS" if grows else "does not grow"
    print(
        f"  queries per row: {small_queries / SMALL:.4f} at {SMALL:,} rows, "
        f"{large_queries / ROWS:.4f} at {ROWS:,} rows "
        f"({verdict}"
        " with the sheet: batched bulk writes, lookups once per sheet)"
    )


ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = os.environ.get("SUKSA_BENCH_IMPORT_DATABASE", "suksa_bench_import")


def _postgres_server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get(
            "SUKSA_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"
        )
    return url.rsplit("/", 1)[0]


def _database_urls() -> dict[str, str]:
    """A fresh database of each kind, never the configured one."""
    path = ROOT / "var" / "bench" / "import.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    urls = {"SQLite": f"sqlite:///{path}"}
    server = _postgres_server()
    try:
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    except Exception as error:  # noqa: BLE001 — said, then the other database runs
        print(f"Sign-in sheet import on PostgreSQL: skipped ({server}: {error})")
    else:
        urls["PostgreSQL"] = f"{server}/{BENCH_DATABASE}"
    return urls


def run_separately() -> None:
    """Run on SQLite and on PostgreSQL, each in its own process (from run.py)."""
    for url in _database_urls().values():
        sys.stdout.flush()
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "run.py"), "import_sheet"],
            cwd=ROOT,
            check=True,
            env={**os.environ, "DATABASE_URL": url},
        )
