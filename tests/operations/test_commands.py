"""`manage.py backup` and `manage.py restore` (the round trip itself is in
tests/test_backup.py)."""

import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db(transaction=True)
def test_backup_writes_an_archive_and_prints_its_path(tmp_path):
    out = StringIO()

    call_command("backup", "--output", str(tmp_path), stdout=out)

    archive = Path(out.getvalue().strip())
    assert archive.parent == tmp_path and archive.name.startswith("suksa-")
    with tarfile.open(archive) as tar:
        assert "manifest.json" in tar.getnames()


def test_restore_without_yes_and_without_a_terminal_restores_nothing(
    tmp_path, monkeypatch
):
    monkeypatch.setattr("sys.stdin", StringIO(""))

    with pytest.raises(CommandError, match="confirm with --yes"):
        call_command("restore", str(tmp_path / "suksa-x.tar.gz"))


@pytest.mark.django_db
def test_restore_of_a_missing_archive_says_so(tmp_path):
    with pytest.raises(CommandError, match="Restore failed"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")
