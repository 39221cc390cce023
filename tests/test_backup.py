"""`make backup` / `make restore`: an archive restores into a fresh database with the
same row counts, and the media files come back (issue 8, item 10).

SQLite in the normal pass; PostgreSQL (pg_dump / pg_restore into a database of its
own) in the integration pass.
"""

import datetime
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from operations.backup import backup, table_counts
from operations.restore import RestoreFailed, restore
from people.models import Person
from tests.certificates.conftest import complete
from tests.factories import PersonFactory, SessionFactory

NOW = datetime.datetime(2026, 11, 27, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture
def data(transactional_db, tmp_path):
    """A completed session and a media file, committed (pg_dump runs apart)."""
    session = SessionFactory()
    complete(session, [PersonFactory(), PersonFactory()])
    media = tmp_path / "media"
    (media / "certificates").mkdir(parents=True)
    (media / "certificates" / "LSSO-TOT-2022-0001.pdf").write_bytes(b"%PDF-1.7 x")
    return media


def _wrapper(settings_dict: dict):
    """A second Django connection, to a database other than the test one."""
    from django.db.utils import load_backend

    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, alias=f"restore-{uuid.uuid4().hex}")


def _check_round_trip(archive: Path, target, media: Path, tmp_path: Path) -> None:
    restored_media = tmp_path / "restored-media"
    before = table_counts(connection)

    counts = restore(archive=archive, connection=target, media_root=restored_media)

    assert counts == before
    assert counts["people_person"] == Person.objects.count() >= 2
    assert counts["trainings_attendance"] > 0
    pdf = restored_media / "certificates" / "LSSO-TOT-2022-0001.pdf"
    assert pdf.read_bytes() == b"%PDF-1.7 x"


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="the SQLite round trip; PostgreSQL's runs in the integration pass",
)
def test_sqlite_backup_restores_into_a_fresh_database(data, tmp_path):
    archive = backup(
        connection=connection, media_root=data, output=tmp_path / "backups", now=NOW
    )
    target = _wrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
    )

    assert archive.name == "suksa-20261127-030000.tar.gz"
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database.sqlite3"} <= set(tar.getnames())
    try:
        _check_round_trip(archive, target, data, tmp_path)
    finally:
        target.close()


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="engine check shown once",
)
def test_a_damaged_or_foreign_archive_is_refused(data, tmp_path):
    archive = backup(connection=connection, media_root=data, output=tmp_path)
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../outside.txt")
        tar.addfile(info)
    target = _wrapper({**connection.settings_dict, "NAME": ":memory:"})

    with pytest.raises(RestoreFailed, match="Unsafe path"):
        restore(archive=evil, connection=target, media_root=tmp_path / "m")
    with pytest.raises(RestoreFailed, match="not memory"):
        restore(archive=archive, connection=target, media_root=tmp_path / "m")


@pytest.mark.integration
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="needs DATABASE_URL pointing at PostgreSQL",
)
def test_postgres_backup_restores_into_a_fresh_database(data, tmp_path):
    archive = backup(connection=connection, media_root=data, output=tmp_path)
    name = f"suksa_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    target = _wrapper({**connection.settings_dict, "NAME": name})
    try:
        with tarfile.open(archive) as tar:
            assert "database.dump" in tar.getnames()
        _check_round_trip(archive, target, data, tmp_path)
    finally:
        target.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
