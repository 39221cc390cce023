"""Celery application.

With no ``CELERY_BROKER_URL`` the settings make every task run in-process (eager), so
the embedded default needs no broker. With a broker, ``celery -A config worker`` runs
the same tasks in separate worker processes.
"""

from celery import Celery

from .environment import use_settings

use_settings()

app = Celery("suksa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
