"""Writing projects (the admin's form saves through Wagtail; the demo and scripts
through here)."""

from collections.abc import Iterable

from django.db import transaction

from .models import Indicator, IndicatorTarget, Project


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


@transaction.atomic
def indicator_ensure(
    *, project: Project, code: str, targets: Iterable[dict] = (), **fields
) -> Indicator:
    """The project's indicator with this code, created or brought in line with
    ``fields``, and its targets replaced by ``targets`` (each the fields of an
    ``IndicatorTarget``: year or date_from/date_to, province, district, value)."""
    indicator = Indicator.objects.filter(project=project, code=code).first()
    indicator = indicator or Indicator(project=project, code=code)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    indicator.targets.all().delete()
    for values in targets:
        target = IndicatorTarget(indicator=indicator, **values)
        target.full_clean()
        target.save()
    return indicator
