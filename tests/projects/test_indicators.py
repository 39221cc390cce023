"""Indicators and their targets: what may be set, with messages a person can act
on; the admin screen (administrators change, staff read) and the link from a
project to its results (issue 17, item 3)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import Figure, Indicator, IndicatorTarget
from projects.services import indicator_ensure
from tests.factories import (
    CampaignFactory,
    DistrictFactory,
    ProjectFactory,
    ProvinceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    return ProjectFactory(code="LAO226-EU")


def make(project, figure=Figure.PEOPLE_TRAINED, **fields) -> Indicator:
    values = {"code": "1.1", "title_lo": "ຕົວຊີ້ວັດ", "title_en": "Indicator"}
    return Indicator(project=project, figure=figure, **{**values, **fields})


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


def test_an_indicator_with_fixed_filters_is_valid(project):
    district = DistrictFactory()
    indicator = make(
        project,
        Figure.TURNOUT,
        kind="mobile_drive",
        campaign=CampaignFactory(),
        province=district.province,
        district=district,
        baseline=Decimal("12.5"),
    )

    indicator.full_clean()


def test_filters_an_indicators_figure_cannot_apply_are_refused(project):
    errors = errors_of(
        make(project, Figure.CENTRES_OPENED, course_kind="tot", kind="workplace")
    )

    assert errors["course_kind"] == ["A course kind narrows trainings only."]
    assert errors["kind"] == ["A kind of activity narrows outreach only."]
    assert "province" in errors_of(
        make(project, Figure.MATERIALS_PUBLISHED, province=ProvinceFactory())
    )


def test_a_district_outside_its_province_and_a_rate_above_100_are_refused(project):
    other = ProvinceFactory(code="13", iso="LA-SV", name_en="Savannakhet")
    errors = errors_of(
        make(
            project,
            Figure.REGISTRATION_RATE,
            province=other,
            district=DistrictFactory(),
            baseline=Decimal("120"),
        )
    )

    assert errors["district"] == ["This district is not in the province chosen."]
    assert errors["baseline"] == ["A rate is at most 100 %."]


def test_a_code_is_unique_in_its_project(project):
    make(project).save()

    assert "__all__" in errors_of(make(project))
    make(ProjectFactory(code="SOLAR")).full_clean()


@pytest.fixture
def indicator(project):
    indicator = make(project)
    indicator.save()
    return indicator


def target(indicator, **fields) -> IndicatorTarget:
    return IndicatorTarget(indicator=indicator, value=Decimal(10), **fields)


def test_a_target_is_for_a_year_or_between_two_days(indicator):
    target(indicator, year=2023).full_clean()
    target(
        indicator,
        date_from=datetime.date(2024, 1, 1),
        date_to=datetime.date(2024, 3, 31),
    ).full_clean()

    assert errors_of(target(indicator))["year"] == [
        "Give the year, or the first and the last day."
    ]
    assert errors_of(target(indicator, year=2023, date_from=datetime.date.today()))[
        "year"
    ] == ["Give a year or two dates, not both."]
    assert errors_of(
        target(
            indicator,
            date_from=datetime.date(2024, 3, 31),
            date_to=datetime.date(2024, 1, 1),
        )
    )["date_to"] == ["The end of the period is before its start."]


def test_one_target_per_period_and_place(indicator):
    target(indicator, year=2023).save()
    district = DistrictFactory()
    target(indicator, year=2023, district=district).save()

    assert errors_of(target(indicator, year=2023))["year"] == [
        "This indicator already has a target for this period and place."
    ]
    assert "year" in errors_of(target(indicator, year=2023, district=district))


def test_a_targets_place_lies_within_the_indicators(project):
    paksong = DistrictFactory()
    other = DistrictFactory(
        province=ProvinceFactory(code="13", iso="LA-SV", name_en="Savannakhet")
    )
    in_paksong = make(project, district=paksong)
    in_paksong.save()

    target(in_paksong, year=2023).full_clean()
    target(in_paksong, year=2024, district=paksong).full_clean()
    assert "district" in errors_of(target(in_paksong, year=2023, district=other))
    in_province = make(project, code="2", province=paksong.province)
    in_province.save()
    target(in_province, year=2023, district=paksong).full_clean()
    assert "district" in errors_of(target(in_province, year=2023, district=other))


def test_a_rates_target_is_a_percentage(project):
    rate = make(project, Figure.REGISTRATION_RATE)
    rate.save()

    assert errors_of(IndicatorTarget(indicator=rate, year=2023, value=150))[
        "value"
    ] == ["A rate is at most 100 %."]


def test_indicator_ensure_replaces_the_targets(project):
    indicator_ensure(
        project=project,
        code="3.1",
        figure=Figure.CENTRES_OPENED,
        title_lo="ສູນ",
        title_en="Centres opened",
        targets=[{"year": 2023, "value": 4}],
    )
    indicator = indicator_ensure(
        project=project,
        code="3.1",
        figure=Figure.CENTRES_OPENED,
        title_lo="ສູນ",
        title_en="Centres opened",
        targets=[{"year": 2023, "value": 4}, {"year": 2024, "value": 2}],
    )

    assert Indicator.objects.count() == 1
    assert list(indicator.targets.values_list("year", "value")) == [
        (2023, 4),
        (2024, 2),
    ]


# The admin -------------------------------------------------------------------------


def test_an_administrator_adds_an_indicator_with_its_targets(
    client_in_english, project
):
    client = client_in_english("admin")
    prefix = "targets"

    response = client.post(
        reverse("indicators:add"),
        {
            "project": project.pk,
            "code": "3.1",
            "title_lo": "ສູນຂໍ້ມູນຂ່າວສານ",
            "title_en": "Information centres opened",
            "figure": "centres_opened",
            "baseline": "0",
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-year": "2023",
            f"{prefix}-0-value": "4",
            f"{prefix}-0-ORDER": "1",
            f"{prefix}-1-date_from": "2024-01-01",
            f"{prefix}-1-date_to": "2024-03-31",
            f"{prefix}-1-value": "1",
            f"{prefix}-1-ORDER": "2",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    indicator = Indicator.objects.get(code="3.1")
    assert indicator.targets.count() == 2


def test_an_indicators_refusal_shows_on_the_form(client_in_english, project):
    response = client_in_english("admin").post(
        reverse("indicators:add"),
        {
            "project": project.pk,
            "code": "3.1",
            "title_lo": "ສູນ",
            "title_en": "Centres",
            "figure": "centres_opened",
            "kind": "workplace",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 200
    assert "A kind of activity narrows outreach only." in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "officer", "trainer", "editor"])
def test_staff_read_indicators_but_do_not_change_them(client_in_english, project, role):
    indicator = make(project)
    indicator.save()
    client = client_in_english(role)

    listing = client.get(reverse("indicators:index"))
    adding = client.get(reverse("indicators:add"))
    editing = client.get(reverse("indicators:edit", args=[indicator.pk]))

    assert listing.status_code == 200 and "1.1" in listing.content.decode()
    assert adding.status_code in (302, 403)
    assert editing.status_code in (302, 403, 404)


def test_a_promoter_sees_no_indicators(client_in_english, project):
    make(project).save()

    response = client_in_english("promoter").get(reverse("indicators:index"))

    assert response.status_code in (302, 403)


def test_a_project_links_to_its_results(client_in_english, project):
    client = client_in_english("manager")
    results = f"{reverse('reports_results')}?project={project.pk}"

    listing = client.get(reverse("projects:index")).content.decode()
    inspect = client.get(reverse("projects:inspect", args=[project.pk]))

    assert results in listing
    assert results in inspect.content.decode()
