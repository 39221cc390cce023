import pytest
from django.core.exceptions import ValidationError

from projects.models import Project
from projects.services import project_ensure
from tests.factories import DistrictFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_project_ensure_creates_then_brings_in_line():
    eu = OrganisationFactory(name="European Union")
    paksong = DistrictFactory(code="1604")

    first = project_ensure(
        code="SOLAR", title_lo="ໂຄງການ", title_en="Solar", funders=[eu]
    )
    again = project_ensure(
        code="SOLAR", title_lo="ໂຄງການ", title_en="SOLAR", districts=[paksong]
    )

    assert first.pk == again.pk and Project.objects.count() == 1
    assert again.title_en == "SOLAR"
    assert list(again.funders.all()) == []
    assert list(again.districts.all()) == [paksong]


def test_project_ensure_refuses_an_unreadable_project():
    with pytest.raises(ValidationError):
        project_ensure(code="", title_lo="", title_en="")
