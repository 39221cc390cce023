"""GET /api/v1/projects/ and /api/v1/projects/{id}/: read-only, scoped by the
policy (issue 17)."""

import datetime

import pytest

from tests.factories import DistrictFactory, OrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    project = ProjectFactory(
        code="LAO226-EU",
        title_en="ILO support",
        starts_on=datetime.date(2022, 6, 14),
        ends_on=datetime.date(2024, 3, 31),
        tags="SDG 8, 8.2.1",
    )
    project.funders.add(OrganisationFactory(name="European Union"))
    project.partners.add(OrganisationFactory(name="ILO"))
    project.districts.add(DistrictFactory(code="1604"))
    return project


def test_the_list_and_one_project_with_their_links(client_as, project):
    client = client_as("manager")

    listed = client.get("/api/v1/projects/").json()["results"]
    one = client.get(f"/api/v1/projects/{project.pk}/").json()

    assert listed == [one]
    assert one["code"] == "LAO226-EU"
    assert one["funders"] == list(project.funders.values_list("pk", flat=True))
    assert one["partners"] == list(project.partners.values_list("pk", flat=True))
    assert one["districts"] == list(project.districts.values_list("pk", flat=True))
    assert (one["starts_on"], one["ends_on"]) == ("2022-06-14", "2024-03-31")
    assert (one["outcome_code"], one["tags"]) == ("LAO226", ["SDG 8", "8.2.1"])


@pytest.mark.parametrize("role", ["trainer", "officer", "editor"])
def test_staff_read_projects(client_as, project, role):
    assert client_as(role).get("/api/v1/projects/").json()["count"] == 1


def test_promoters_and_visitors_see_none(client_as, client, project):
    assert client_as("promoter").get("/api/v1/projects/").json()["count"] == 0
    assert client_as("promoter").get(f"/api/v1/projects/{project.pk}/").status_code == (
        404
    )
    assert client.logout() is None
    assert client.get("/api/v1/projects/").status_code in (401, 403)


def test_nobody_writes_projects_through_the_api(client_as, project):
    response = client_as("admin").post("/api/v1/projects/", {"code": "X"})

    assert response.status_code == 405
