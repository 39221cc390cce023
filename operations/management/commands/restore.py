import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from operations.restore import RestoreFailed, restore


class Command(BaseCommand):
    help = (
        "Replace the database and media with an archive made by `manage.py backup`, "
        "then check every table's row count. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask to confirm")

    def handle(self, *args, archive: Path, yes: bool, **options):
        target = connection.settings_dict["NAME"]
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("Nothing restored: confirm with --yes.")
            answer = input(
                f"Replace database {target} and media with the archive? [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing restored.")
        try:
            counts = restore(
                archive=archive,
                connection=connection,
                media_root=Path(settings.MEDIA_ROOT),
            )
        except (RestoreFailed, subprocess.CalledProcessError, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from None
        self.stdout.write(
            f"Restored {sum(counts.values())} rows in {len(counts)} tables."
        )
