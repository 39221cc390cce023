"""Run every benchmark on a fresh database: `make bench`.

Results are printed as ratios against a baseline measured in the same run, never as
absolute pass/fail times.
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

    import_sheet.main()
    certificates.main()
    page_weight.run_separately()
    load.run_separately()
    reports.run_separately()


if __name__ == "__main__":
    main()
