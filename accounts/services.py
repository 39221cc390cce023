from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from .roles import (
    ADMINISTRATORS,
    ROLE_COLLECTION_PERMISSIONS,
    ROLE_PAGE_PERMISSIONS,
    ROLE_PERMISSIONS,
)


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create each role's group with exactly the permissions in accounts.roles."""
    groups = {}
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name, permission_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(permission_names))
        if root_page is not None:
            for codename in ROLE_PAGE_PERMISSIONS.get(name, []):
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
        if root_collection is not None:
            for name_ in ROLE_COLLECTION_PERMISSIONS.get(name, []):
                app_label = (
                    "wagtailimages" if name_.endswith("image") else "wagtaildocs"
                )
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=name_
                    ),
                )
        groups[name] = group
    return groups


@transaction.atomic
def user_ensure(*, username: str, password: str, role: str, **fields):
    """Create or reset a user with one role; administrators are also superusers."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username, defaults=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    user.is_staff = role == ADMINISTRATORS
    user.is_superuser = role == ADMINISTRATORS
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user
