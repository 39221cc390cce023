"""Run every benchmark on a fresh database: `make bench`.

Every figure is printed beside its floor, measured in the same run, and as a ratio to
it — never as an absolute pass/fail time (the machine may be shared):

- sheet import (``import_sheet.py``): rows per second beside a plain
  django-import-export resource writing only the person columns; queries per row at
  two sheet sizes; on SQLite and on PostgreSQL, each on its own fresh database;
- certificates (``certificates.py``): the bulk job per certificate and a first
  download beside one multi-page WeasyPrint render of the same certificates, and the
  naive one-document-each path;
- page weight (``page_weight.py``): bytes and requests of a first visit beside the
  budget; p50 under concurrent clients beside one request alone;
- load (``load.py``): p50 per kind of request under 50 clients beside the same
  request alone on the idle server, the throughput beside what the cores serve at
  that cost, errors and duplicate meetings;
- reports (``reports.py``): each figure beside the raw SQL that computes it.

The load average is printed at the start and the end: a busy machine inflates every
figure, floors included.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
BENCH_DB = ROOT / "var" / "bench.sqlite3"
if "DATABASE_URL" not in os.environ:
    BENCH_DB.parent.mkdir(exist_ok=True)
    BENCH_DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DB}"


def main() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0, stdout=open(os.devnull, "w"))

    from benchmarks import certificates, import_sheet, load, page_weight, reports

    if sys.argv[1:] == ["import_sheet"]:  # one database (import_sheet.run_separately)
        import_sheet.main()
        return
    _load_average("start")
    for step in (
        import_sheet.run_separately,
        certificates.main,
        page_weight.run_separately,
        load.run_separately,
        reports.run_separately,
    ):
        step()
        sys.stdout.flush()  # before the next process writes to the same output
    _load_average("end")


def _load_average(moment: str) -> None:
    one, five, fifteen = os.getloadavg()
    print(
        f"\nmake bench, {moment}: load average {one:.2f} {five:.2f} {fifteen:.2f} "
        f"(1, 5, 15 min) on {os.cpu_count()} cores",
        flush=True,
    )


if __name__ == "__main__":
    main()
