"""Writes of the materials library: download records, the review workflow."""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    GroupApprovalTask,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from access.policy import home_district
from accounts import roles

from .models import Download, MaterialFile

# Wagtail shows these names as they are stored ("Submit to …", "Awaiting …"), so they
# are stored in the site's language (Lao); the English names of databases made before
# are still found, and renamed.
WORKFLOW_NAME = _("Material review")
TASK_NAME = _("Moderator approval")


def _names(text) -> tuple[str, list[str]]:
    """``text`` in the site's language, and every name it may be stored under."""
    with translation.override(settings.LANGUAGE_CODE):
        stored = str(text)
    with translation.override("en"):
        english = str(text)
    return stored, [stored, english]


def _district_of(user):
    return home_district(user) if user.is_authenticated else None


def _visitor_key(*, user, address: str, day) -> str:
    """The user, or the address of a visitor, as a key of this day only: keyed
    with the secret key and the day, so the address is never stored and two days'
    keys cannot be matched."""
    who = f"user:{user.pk}" if user.is_authenticated else f"address:{address}"
    message = f"{day.isoformat()}|{who}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def download_is_continuation(range_header: str) -> bool:
    """A Range request for anything but the file's start continues a download
    already counted (a phone resuming, a player seeking)."""
    if not range_header:
        return False
    unit, _sep, ranges = range_header.partition("=")
    first = ranges.split(",")[0].strip()
    return unit.strip().lower() != "bytes" or not first.startswith("0-")


def download_record(
    *, material_file: MaterialFile, user, address: str = "", range_header: str = ""
) -> None:
    """Count a download of ``material_file``: once per user (or per address for
    visitors) per file per day, and not for Range continuations.

    One insert, which the database ignores when this visitor's download of the
    file was already counted today (a unique constraint), so the file starts
    without waiting."""
    if download_is_continuation(range_header):
        return
    now = timezone.now()
    day = timezone.localdate(now)
    download = Download(
        document_id=material_file.document_id,
        page_id=material_file.page_id,
        material_file=material_file,
        user=user if user.is_authenticated else None,
        district=_district_of(user),
        at=now,
        day=day,
        visitor_key=_visitor_key(user=user, address=address, day=day),
    )
    Download.objects.bulk_create([download], ignore_conflicts=True)


@transaction.atomic
def material_workflow_ensure(*, index_page) -> Workflow:
    """Materials under ``index_page`` need a moderator's approval before publishing.

    Moderators are the "Moderators" group and administrators (superusers approve
    any task too). Idempotent.
    """
    workflow_name, workflow_names = _names(WORKFLOW_NAME)
    workflow = Workflow.objects.filter(name__in=workflow_names).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=workflow_name, active=True)
    elif workflow.name != workflow_name:
        workflow.name = workflow_name
        workflow.save(update_fields=["name"])
    task_name, task_names = _names(TASK_NAME)
    task = GroupApprovalTask.objects.filter(name__in=task_names).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
    elif task.name != task_name:
        task.name = task_name
        task.save(update_fields=["name"])
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
