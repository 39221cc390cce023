"""Celery application.

With no ``CELERY_BROKER_URL`` the settings make every task run in-process (eager), so
the embedded default needs no broker. With a broker, ``celery -A config worker`` runs
the same tasks in separate worker processes.
"""

from celery import Celery

from .environment import use_settings

app = Celery("suksa")


@app.on_configure.connect
def _choose_settings(**_kwargs) -> None:
    # When Celery first reads its settings, not when ``config`` is imported: a
    # command (``manage.py``, which imports ``config``) has chosen its own by then,
    # and a worker started on its own gets the servers' default.
    use_settings()


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
