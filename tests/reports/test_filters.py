"""The report filter form's district list: each district names its province, so that
choosing a province narrows the list in the browser (tests/browser/test_reports_layout
.py), and the list holds only the districts the user may see."""

import re

import pytest

from reports.filters import ReportFilterForm
from tests.factories import DistrictFactory, DistrictOfficeFactory

pytestmark = pytest.mark.django_db


def district_options(form) -> dict[str, str]:
    """{district id: province id} of the district select's options."""
    html = str(form["district"])
    return dict(re.findall(r'<option value="(\d+)" data-province="(\d+)"', html))


def test_each_district_names_its_province(story, make_user):
    form = ReportFilterForm(user=make_user("manager"))

    options = district_options(form)

    a, b = story.district_a, story.district_b
    assert options[str(a.pk)] == str(a.province_id)
    assert options[str(b.pk)] == str(b.province_id)
    assert a.province_id != b.province_id
    assert 'data-narrowed-by="province"' in str(form["district"])


def test_an_officer_chooses_among_their_own_districts_only(story, make_user):
    officer = make_user("officer")
    DistrictOfficeFactory(district=story.district_a, officers=[officer])
    DistrictFactory(code="1605", name_en="Bachiang", province=story.district_a.province)

    options = district_options(ReportFilterForm(user=officer))

    assert options == {str(story.district_a.pk): str(story.district_a.province_id)}
