"""Wagtail's background tasks (django_tasks) go through Celery."""

from unittest import mock

import pytest
from django_tasks import task_backends
from wagtail.models import ReferenceIndex

from config.tasks import CeleryTaskBackend, run_django_task
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_the_default_backend_is_celery():
    assert isinstance(task_backends["default"], CeleryTaskBackend)


def test_in_process_celery_runs_wagtails_reference_index_update_after_commit(
    home_pages, django_capture_on_commit_callbacks
):
    from wagtail.tasks import update_reference_index_task

    page = home_pages
    with mock.patch.object(
        ReferenceIndex, "create_or_update_for_object"
    ) as index_update:
        with django_capture_on_commit_callbacks(execute=False) as waiting:
            result = update_reference_index_task.enqueue(
                page._meta.app_label, page._meta.model_name, page.pk
            )
        assert not index_update.called  # nothing runs before the commit
        for callback in waiting:
            callback()

    assert result.status == "READY"
    assert index_update.called


def test_a_rolled_back_transaction_runs_no_task(home_pages):
    from django.db import transaction
    from wagtail.tasks import update_reference_index_task

    with mock.patch.object(
        ReferenceIndex, "create_or_update_for_object"
    ) as index_update:
        with transaction.atomic():
            update_reference_index_task.enqueue(
                home_pages._meta.app_label, home_pages._meta.model_name, home_pages.pk
            )
            transaction.set_rollback(True)

    assert not index_update.called


def test_with_a_broker_the_task_is_sent_after_commit(
    settings, django_capture_on_commit_callbacks
):
    from wagtail.tasks import update_reference_index_task

    settings.CELERY_TASK_ALWAYS_EAGER = False
    course = CourseFactory()
    with mock.patch("config.tasks.run_django_task.apply_async") as send:
        with django_capture_on_commit_callbacks(execute=False) as waiting:
            update_reference_index_task.enqueue("trainings", "course", course.pk)
        assert not send.called
        for callback in waiting:
            callback()

    ((path, args, kwargs),) = [call.args[0] for call in send.call_args_list]
    assert path == "wagtail.tasks.update_reference_index_task"
    assert args == ["trainings", "course", course.pk]
    assert kwargs == {}


def test_a_worker_runs_the_task_found_by_its_path(home_pages):
    with mock.patch.object(
        ReferenceIndex, "create_or_update_for_object"
    ) as index_update:
        run_django_task(
            "wagtail.tasks.update_reference_index_task",
            ["cms", "homepage", home_pages.pk],
            {},
        )

    assert index_update.called
