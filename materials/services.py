"""Writes of the materials library: download records, the review workflow."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts import roles

from .models import Download, MaterialFile

WORKFLOW_NAME = "Material review"
TASK_NAME = "Moderator approval"


def _district_of(user):
    if not user.is_authenticated:
        return None
    try:
        from promoters.selectors import district_of_user
    except ImportError:  # the promoters app does not provide it yet
        return None
    return district_of_user(user)


def download_record(*, material_file: MaterialFile, user) -> Download:
    """Record one download: one insert, so the file starts without waiting."""
    return Download.objects.create(
        document_id=material_file.document_id,
        page_id=material_file.page_id,
        material_file=material_file,
        user=user if user.is_authenticated else None,
        district=_district_of(user),
        at=timezone.now(),
    )


@transaction.atomic
def material_workflow_ensure(*, index_page) -> Workflow:
    """Materials under ``index_page`` need a moderator's approval before publishing.

    Moderators are the "Moderators" group and administrators (superusers approve
    any task too). Idempotent.
    """
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set(
        Group.objects.filter(name__in=[roles.MODERATORS, roles.ADMINISTRATORS])
    )
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0}
    )
    WorkflowPage.objects.update_or_create(
        page=index_page, defaults={"workflow": workflow}
    )
    return workflow


# Who reads a material "for promoters and trainers": those two roles and the staff
# who look after them (administrators, as superusers, read everything).
FIELD_AND_STAFF_GROUPS = [
    roles.PROMOTERS,
    roles.TRAINERS,
    roles.DISTRICT_OFFICERS,
    roles.EDITORS,
    roles.MODERATORS,
    roles.MANAGERS,
]


@transaction.atomic
def material_restrict(*, page, group_names: list[str] = FIELD_AND_STAFF_GROUPS):
    """Only members of these groups may read ``page`` and download its files."""
    restriction, _created = PageViewRestriction.objects.get_or_create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name__in=group_names))
    return restriction
