from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from operations.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="folder for the archive (default var/backups)",
        )

    def handle(self, *args, output: Path, **options):
        archive = backup(
            connection=connection,
            media_root=Path(settings.MEDIA_ROOT),
            output=output,
        )
        self.stdout.write(str(archive))
