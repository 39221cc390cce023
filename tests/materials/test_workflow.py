import pytest
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from accounts import roles
from materials.models import MaterialIndexPage, MaterialPage
from materials.services import material_workflow_ensure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _material_form(title: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": "social-security-basics",
            "summary": "ການປະກັນສັງຄົມແມ່ນຫຍັງ ແລະ ໃຜເຂົ້າຮ່ວມໄດ້.",
            "kind": "leaflet",
            "language": "lo",
            "files": inline_formset([]),
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def _add_url(library) -> str:
    return reverse(
        "wagtailadmin_pages:add",
        args=("materials", "materialpage", library["lo"].pk),
    )


def test_editor_drafts_and_submits_a_material_for_moderation(client_as, library):
    client = client_as("editor")

    response = client.post(
        _add_url(library),
        {**_material_form("ພື້ນຖານການປະກັນສັງຄົມ"), "action-submit": "submit"},
    )

    assert response.status_code == 302
    material = MaterialPage.objects.get(slug="social-security-basics")
    assert material.live is False
    state = WorkflowState.objects.get(
        base_content_type__isnull=False, object_id=str(material.pk)
    )
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "ການກວດສອບເອກະສານ"  # "Material review", in Lao
    assert state.requested_by.username == "editor"


def test_editor_cannot_publish(client_as, library, make_user):
    editor = make_user("editor")
    client = client_as("editor")

    client.post(
        _add_url(library),
        {**_material_form("ພື້ນຖານ"), "action-publish": "publish"},
    )

    material = MaterialPage.objects.get(slug="social-security-basics")
    assert material.live is False
    assert not material.permissions_for_user(editor).can_publish()
    assert material.permissions_for_user(editor).can_edit()


@pytest.mark.parametrize("moderator_role", [roles.MODERATORS, "admin"])
def test_moderator_approves_and_the_material_goes_live(
    client, client_as, library, admin_user, moderator_role
):
    client_as("editor").post(
        _add_url(library),
        {**_material_form("ພື້ນຖານ"), "action-submit": "submit"},
    )
    material = MaterialPage.objects.get(slug="social-security-basics")
    task_state = material.current_workflow_task_state
    if moderator_role == "admin":
        moderator = admin_user
    else:
        moderator = UserFactory(username="moderator", role=moderator_role)
    client.force_login(moderator)

    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(material.pk, "approve", task_state.pk),
        ),
        {"comment": ""},
    )

    assert response.status_code == 302
    material.refresh_from_db()
    assert material.live is True
    assert client.get(material.url).status_code == 200


def test_editor_cannot_approve_their_own_submission(client_as, library):
    client = client_as("editor")
    client.post(
        _add_url(library),
        {**_material_form("ພື້ນຖານ"), "action-submit": "submit"},
    )
    material = MaterialPage.objects.get(slug="social-security-basics")
    task_state = material.current_workflow_task_state

    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(material.pk, "approve", task_state.pk),
        ),
        {"comment": ""},
    )

    material.refresh_from_db()
    assert material.live is False


def test_moderators_may_publish_pages_and_editors_may_not():
    moderators = GroupPagePermission.objects.filter(group__name=roles.MODERATORS)
    editors = GroupPagePermission.objects.filter(group__name=roles.EDITORS)

    assert moderators.filter(permission__codename="publish_page").exists()
    assert not editors.filter(permission__codename="publish_page").exists()


def test_a_library_created_in_the_admin_is_under_review(client, admin_user, home_pages):
    client.force_login(admin_user)

    client.post(
        reverse(
            "wagtailadmin_pages:add",
            args=("materials", "materialindexpage", home_pages.pk),
        ),
        nested_form_data(
            {
                "title": "ເອກະສານ",
                "slug": "materials",
                "intro": "",
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        ),
    )

    library = MaterialIndexPage.objects.get()
    assert library.get_workflow().name == "ການກວດສອບເອກະສານ"


def test_a_workflow_named_in_english_before_is_renamed_in_lao(library):
    """Databases made before the names were translated keep one workflow, in Lao."""
    workflow = library["lo"].get_workflow()
    Workflow.objects.filter(pk=workflow.pk).update(name="Material review")
    GroupApprovalTask.objects.filter(name="ການອະນຸມັດຂອງຜູ້ກວດກາເນື້ອຫາ").update(
        name="Moderator approval"
    )

    material_workflow_ensure(index_page=library["lo"])

    assert library["lo"].get_workflow().pk == workflow.pk
    assert Workflow.objects.get(pk=workflow.pk).name == "ການກວດສອບເອກະສານ"
    assert not Workflow.objects.filter(name="Material review").exists()
    assert GroupApprovalTask.objects.filter(name="ການອະນຸມັດຂອງຜູ້ກວດກາເນື້ອຫາ").exists()
    assert not GroupApprovalTask.objects.filter(name="Moderator approval").exists()
