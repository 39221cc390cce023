"""Settings for the page-weight benchmark's gunicorn: the test settings, with static
files collected, hashed and precompressed by whitenoise as in production."""

from config.settings.test import *  # noqa: F403
from config.settings.test import BASE_DIR, STORAGES

STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
