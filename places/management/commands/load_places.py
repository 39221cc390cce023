from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from places.services import SHIPPED_PLACES_FILE, places_load, places_read


class Command(BaseCommand):
    help = "Load the Lao provinces and districts shipped with Suksa (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=SHIPPED_PLACES_FILE)
        parser.add_argument(
            "--update",
            action="store_true",
            help="Reset names of existing provinces and districts to the file's.",
        )

    def handle(self, *args, file: Path, update: bool, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        try:
            rows = places_read(path=file)
            result = places_load(rows=rows, update_existing=update)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Places: {result.provinces_created} provinces and "
            f"{result.districts_created} districts created, "
            f"{result.provinces_updated} provinces and {result.districts_updated} "
            f"districts updated, {result.unchanged} districts already present."
        )
