"""Celery application.

With no ``CELERY_BROKER_URL`` the settings make every task run in-process (eager), so
the embedded default needs no broker. With a broker, ``celery -A config worker`` runs
the same tasks in separate worker processes.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("suksa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
