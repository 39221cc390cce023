"""The projects screen: administrators change, other staff read (issue 17)."""

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import OrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_an_empty_list_says_so(client_in_english):
    page = client_in_english("admin").get(reverse("projects:index")).content.decode()

    assert "There are no projects to display" in page


def test_the_list_searches_and_filters_by_funder(client_in_english):
    eu = OrganisationFactory(name="European Union")
    ProjectFactory(code="LAO226-EU").funders.add(eu)
    ProjectFactory(code="SOLAR")
    client = client_in_english("manager")

    found = client.get(reverse("projects:index"), {"q": "SOLAR"}).content.decode()
    funded = client.get(reverse("projects:index"), {"funders": eu.pk}).content.decode()

    assert "SOLAR" in found and "LAO226-EU" not in found
    assert "LAO226-EU" in funded and "SOLAR" not in funded


def test_an_administrator_adds_a_project_with_its_links(client_in_english):
    eu = OrganisationFactory(name="European Union")
    client = client_in_english("admin")
    form = client.get(reverse("projects:add")).content.decode()
    assert "data-searchable-select" in form

    response = client.post(
        reverse("projects:add"),
        {
            "code": "LAO226-EU",
            "title_lo": "ໂຄງການ",
            "title_en": "ILO support",
            "funders": [eu.pk],
            "starts_on": "2022-06-14",
            "ends_on": "2024-03-31",
            "outcome_code": "LAO226",
            "tags": "SDG 8, 8.2.1",
            "description": "",
        },
    )

    assert response.status_code == 302
    project = Project.objects.get(code="LAO226-EU")
    assert list(project.funders.all()) == [eu]


def test_a_project_that_ends_before_it_starts_is_refused(client_in_english):
    response = client_in_english("admin").post(
        reverse("projects:add"),
        {
            "code": "X",
            "title_lo": "ໂຄງການ",
            "title_en": "X",
            "starts_on": "2024-01-01",
            "ends_on": "2023-01-01",
        },
    )

    assert response.status_code == 200
    assert "The project ends before it starts." in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize("role", ["manager", "trainer", "officer"])
def test_other_staff_read_but_do_not_change(client_in_english, role):
    project = ProjectFactory()
    client = client_in_english(role)

    assert client.get(reverse("projects:index")).status_code == 200
    assert client.get(reverse("projects:inspect", args=[project.pk])).status_code == 200
    assert client.get(reverse("projects:add")).status_code in (302, 403)
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code in (
        302,
        403,
    )
