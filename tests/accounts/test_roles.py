import pytest
from django.contrib.auth.models import Group

from accounts import roles
from accounts.services import roles_ensure

pytestmark = pytest.mark.django_db


def test_migrate_creates_a_group_for_every_role():
    assert set(Group.objects.values_list("name", flat=True)) >= set(
        roles.ROLE_PERMISSIONS
    )


def test_role_permissions_follow_the_table(make_user):
    trainer = make_user("trainer")
    manager = make_user("manager")

    assert trainer.has_perm("people.add_person")
    assert not trainer.has_perm("people.delete_person")
    assert manager.has_perm("people.view_person")
    assert not manager.has_perm("people.change_person")


def test_ensure_removes_permissions_added_by_hand():
    trainers = Group.objects.get(name=roles.TRAINERS)
    trainers.permissions.add(
        *Group.objects.get(name=roles.ADMINISTRATORS).permissions.all()
    )

    roles_ensure()

    assert not trainers.permissions.filter(codename="delete_person").exists()
    assert trainers.permissions.filter(codename="add_person").exists()


def test_editors_may_edit_pages_but_not_publish():
    editors = Group.objects.get(name=roles.EDITORS)
    codenames = set(
        editors.page_permissions.values_list("permission__codename", flat=True)
    )

    assert {"add_page", "change_page"} <= codenames
    assert "publish_page" not in codenames
