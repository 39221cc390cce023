"""Restore an archive made by ``manage.py backup``: `make restore ARCHIVE=…`.

    python manage.py restore ARCHIVE [--yes]

Replaces the database named by DATABASE_URL (PostgreSQL through ``pg_restore``, or
the SQLite file) and puts the media files back under MEDIA_ROOT, then checks that
every table has as many rows as when the backup was made. Stop the web and worker
processes first; it asks for confirmation unless given ``--yes``.
"""

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .backup import postgres_environment, table_counts


class RestoreFailed(Exception):
    pass


def _safe_members(tar: tarfile.TarFile):
    """Refuse paths that would land outside the extraction directory."""
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or member.issym() or member.islnk():
            raise RestoreFailed(f"Unsafe path in archive: {member.name}")
        yield member


def restore_database(connection, directory: Path, manifest: dict) -> None:
    dump = directory / manifest["database_file"]
    if manifest["engine"] != connection.vendor:
        raise RestoreFailed(
            f"The archive holds a {manifest['engine']} database; "
            f"DATABASE_URL points at {connection.vendor}."
        )
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(dump),
            ],
            env=postgres_environment(connection.settings_dict),
            check=True,
        )
        return
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise RestoreFailed("Restore needs an SQLite database file, not memory.")
    connection.close()
    with sqlite3.connect(dump) as source, sqlite3.connect(name) as target:
        source.backup(target)
    source.close()
    target.close()


def restore(*, archive: Path, connection, media_root: Path) -> dict[str, int]:
    """Restore database and media; return the table counts, checked against the
    archive's manifest."""
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(directory, members=_safe_members(tar))
        manifest = json.loads((directory / "manifest.json").read_text())
        restore_database(connection, directory, manifest)
        if (directory / "media").is_dir():
            shutil.copytree(directory / "media", media_root, dirs_exist_ok=True)
    counts = table_counts(connection)
    expected = manifest["table_counts"]
    differences = {
        table: (expected.get(table), counts.get(table))
        for table in set(expected) | set(counts)
        if expected.get(table) != counts.get(table)
    }
    if differences:
        raise RestoreFailed(f"Row counts differ after restore: {differences}")
    return counts
