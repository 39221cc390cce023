"""Back up the database and the media files into one archive: `make backup`.

    python manage.py backup [--output DIR]

The archive ``suksa-YYYYMMDD-HHMMSS.tar.gz`` (under ``var/backups/`` unless told
otherwise) holds:

- ``database.dump``: ``pg_dump --format=custom`` of PostgreSQL, or
- ``database.sqlite3``: a consistent copy of SQLite made with SQLite's backup API
  (safe while the application writes);
- ``media/``: uploaded and generated files (certificates, images, documents);
- ``manifest.json``: when, which database engine, and the row count of every table,
  which ``manage.py restore`` checks after restoring.

Media on S3-compatible storage are not in the archive: back the bucket up with the
provider's tools (docs/deployment.md).
"""

import datetime
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path


def table_counts(connection) -> dict[str, int]:
    """Rows in every table of the database behind a Django connection."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def postgres_environment(database: dict) -> dict[str, str]:
    """libpq variables for pg_dump and pg_restore: no password on a command line."""
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def dump_database(connection, directory: Path) -> str:
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        target = directory / "database.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target)],
            env=postgres_environment(database),
            check=True,
        )
        return target.name
    if connection.vendor == "sqlite":
        target = directory / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target.name
    raise ValueError(f"Backups of {connection.vendor} databases are not supported.")


def backup(
    *, connection, media_root: Path, output: Path, now: datetime.datetime | None = None
) -> Path:
    """Write the archive and return its path."""
    now = now or datetime.datetime.now(datetime.UTC)
    output.mkdir(parents=True, exist_ok=True)
    archive = output / f"suksa-{now:%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        counts = table_counts(connection)
        database_file = dump_database(connection, directory)
        manifest = {
            "created": now.isoformat(),
            "engine": connection.vendor,
            "database_file": database_file,
            "table_counts": counts,
        }
        (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(directory / "manifest.json", arcname="manifest.json")
            tar.add(directory / database_file, arcname=database_file)
            if media_root.is_dir():
                tar.add(media_root, arcname="media")
        partial.rename(archive)  # never a half-written archive under the final name
    archive.chmod(0o600)  # personal data
    return archive
