"""Writing projects (the admin's form saves through Wagtail; the demo and scripts
through here)."""

from collections.abc import Iterable

from django.db import transaction

from .models import Project


@transaction.atomic
def project_ensure(
    *,
    code: str,
    funders: Iterable = (),
    partners: Iterable = (),
    provinces: Iterable = (),
    districts: Iterable = (),
    **fields,
) -> Project:
    """The project with this code, created or brought in line with ``fields`` and
    the given funders, partners and target areas."""
    project = Project.objects.filter(code=code).first() or Project(code=code)
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    project.funders.set(funders)
    project.partners.set(partners)
    project.provinces.set(provinces)
    project.districts.set(districts)
    return project
