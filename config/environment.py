"""Which settings a process uses: one rule, asked by every entry point.

``DJANGO_SETTINGS_MODULE`` from the environment, else from the ``.env`` file beside
``manage.py``, else the entry point's own default: the processes that serve (WSGI and
the Celery worker) default to ``config.settings.production``, so a server never falls
back to the development settings by accident; the command line (``manage.py``)
defaults to ``config.settings.dev``, so a fresh checkout's commands work. A production
machine names its settings in the environment (docs/deployment.md); tests name theirs
in ``pyproject.toml``.
"""

import os
from pathlib import Path

import environ

ENV_FILE = Path(__file__).resolve().parent.parent / ".env"
SERVER_SETTINGS = "config.settings.production"
COMMAND_LINE_SETTINGS = "config.settings.dev"


def use_settings(default: str = SERVER_SETTINGS) -> None:
    """Set ``DJANGO_SETTINGS_MODULE`` for this process by the rule above."""
    if "DJANGO_SETTINGS_MODULE" not in os.environ and ENV_FILE.is_file():
        environ.Env.read_env(ENV_FILE, overwrite=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
