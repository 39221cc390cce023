"""Django's task framework (``django_tasks``) run by our Celery workers.

Wagtail 8 enqueues its own background work through it: reference index updates after
a save and file deletions from storage. Without a ``TASKS`` backend that work runs
inside the request. ``CeleryTaskBackend`` hands each task to a Celery worker after the
transaction commits (so the worker reads what the request wrote); where Celery runs
in-process (no broker: ``make run``, the tests) the task runs in this process at the
same moment, after the commit (at once outside a transaction). A transaction that is
rolled back runs none of them, with or without a broker.
"""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id, normalize_json


class CeleryTaskBackend(BaseTaskBackend):
    def enqueue(self, task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=normalize_json(args),
            kwargs=normalize_json(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        path, queue = task.module_path, self.options.get("QUEUE")
        arguments = (path, result.args, result.kwargs)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            transaction.on_commit(lambda: run_django_task(*arguments))
        else:
            transaction.on_commit(
                lambda: run_django_task.apply_async(arguments, queue=queue)
            )
        return result


@shared_task(name="suksa.tasks.run_django_task")
def run_django_task(path: str, args: list, kwargs: dict):
    """Run one ``django_tasks`` task, found by its import path, in a worker."""
    task = import_string(path)
    return normalize_json(task.call(*args, **kwargs))
