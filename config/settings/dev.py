"""The embedded default: SQLite, in-process Celery, local files, mail to the console."""

from .base import *  # noqa: F403
from .base import STATIC_ROOT, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
# The demo's users sign in with a password only; production requires two-step
# sign-in for administrators and managers (docs/security.md).
SUKSA_2FA_REQUIRED_ROLES = env.list("SUKSA_2FA_REQUIRED_ROLES", default=[])
