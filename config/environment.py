"""Which settings a process uses: one rule for every entry point.

``DJANGO_SETTINGS_MODULE`` from the environment, else from the ``.env`` file beside
``manage.py``, else ``config.settings.production``. A server never falls back to the
development settings by accident; a development checkout says so in its ``.env``
(``make run`` writes ``DJANGO_SETTINGS_MODULE=config.settings.dev`` there the first
time) and tests name theirs in ``pyproject.toml``.
"""

import os
from pathlib import Path

import environ

ENV_FILE = Path(__file__).resolve().parent.parent / ".env"
DEFAULT_SETTINGS = "config.settings.production"


def use_settings() -> None:
    """Set ``DJANGO_SETTINGS_MODULE`` for this process by the rule above."""
    if "DJANGO_SETTINGS_MODULE" not in os.environ and ENV_FILE.is_file():
        environ.Env.read_env(ENV_FILE, overwrite=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
