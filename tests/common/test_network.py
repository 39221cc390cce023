"""Issue 14: two different client-address rules (certificates/views.py and
common/network.py); one client could block certificate checks for everyone."""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED = {".venv", "var", "tests", "node_modules", ".git"}


def test_only_common_network_reads_the_forwarded_header():
    readers = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not SKIPPED & set(path.relative_to(ROOT).parts)
        and "HTTP_X_FORWARDED_FOR" in path.read_text(encoding="utf-8")
    ]

    assert readers == ["common/network.py"]
