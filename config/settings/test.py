"""Test settings: SQLite by default, PostgreSQL when ``DATABASE_URL`` says so.

Tasks run eagerly in ordinary tests; the integration tests switch that off and talk to a
real worker process through ``CELERY_BROKER_URL``.
"""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

# Under pytest-xdist each worker process keeps its files apart ("gw0", "gw1", …).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
# Tests that check the reports' warming task turn it on (it would run in-process
# after every commit).
SUKSA_REPORTS_WARM_AFTER_WRITE = env.bool(
    "SUKSA_REPORTS_WARM_AFTER_WRITE", default=False
)
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{_WORKER}"
STATIC_ROOT = BASE_DIR / "var" / "test-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests sign in with force_login; tests/accounts/test_totp.py turns the requirement on.
SUKSA_2FA_REQUIRED_ROLES = []
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": env.str("SQLITE_TEST_NAME", default="")}
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A commit need not wait for its WAL record to reach the disk (the server stays
    # safe: a crash loses only the last commits, never consistency). Test databases
    # are thrown away; the migrations and flushes of the test runs commit often.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off"

# The reports' cache in Redis (the integration pass): one Redis database per test
# process, so that a test emptying the cache (tests/conftest.reports_cache_cleared)
# never empties another process's, nor reads figures another test database cached
# under the same data version. A worker process the tests start inherits
# PYTEST_XDIST_WORKER, hence the same database. Redis has 16 databases and the
# broker's and the default reports cache's are 15 and 14: the processes take 13 down
# to 0, and a machine running more than 14 test processes shares them again.
if CACHES["reports"]["BACKEND"].endswith("RedisCache") and _WORKER:  # noqa: F405
    from urllib.parse import urlsplit

    _location = urlsplit(CACHES["reports"]["LOCATION"])  # noqa: F405
    _index = int(_WORKER.removeprefix("gw") or 0)
    CACHES["reports"]["LOCATION"] = _location._replace(  # noqa: F405
        path=f"/{13 - _index % 14}"
    ).geturl()
