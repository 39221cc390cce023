"""The report API: the ``session`` filter, unknown parameters refused, and every
parameter of the schema honoured (issue 15, item 8)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from people.models import Organisation
from tests.factories import OrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TRAINED = "/api/v1/reports/trained/"
TOT = "/api/v1/reports/tot/"


def test_trained_for_a_session_is_the_sessions_completed_counts(client_as, story):
    client = client_as("manager")
    national = client.get(TRAINED).json()

    for session in (story.tot, story.august, story.january):
        completed = client.get(f"/api/v1/sessions/{session.pk}/").json()["completed"]
        answer = client.get(TRAINED, {"session": session.pk})

        assert answer.status_code == 200
        assert {**answer.json(), "aggregate": None} == {**completed, "aggregate": None}
        assert answer.json()["aggregate"]["total"] == 0
        assert answer.json() != national


def test_tot_for_a_session_counts_its_graduates_only(client_as, story):
    client = client_as("manager")

    assert client.get(TOT, {"session": story.tot.pk}).json()["graduates"]["total"] == 3
    assert client.get(TOT, {"session": story.august.pk}).json()["sessions"] == 0


def test_a_session_the_user_does_not_see_is_refused(client_as, story):
    response = client_as("trainer").get(TRAINED, {"session": story.tot.pk})

    assert response.status_code == 400
    assert "session" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        TRAINED,
        TOT,
        "/api/v1/reports/outreach/",
        "/api/v1/reports/coverage/",
        "cascade",
    ],
)
def test_an_unknown_parameter_is_refused_with_the_accepted_ones(client_as, story, url):
    if url == "cascade":
        url = f"/api/v1/reports/cascade/{story.tot.pk}/"
    response = client_as("manager").get(url, {"sesion": story.tot.pk})

    assert response.status_code == 400
    body = response.json()
    assert body["unknown"] == ["sesion"]
    assert "sesion" in body["detail"]
    assert "format" in body["accepted"]


def test_session_is_refused_where_it_would_be_ignored(client_as, story):
    client = client_as("manager")
    for url in ("/api/v1/reports/outreach/", "/api/v1/reports/coverage/"):
        response = client.get(url, {"session": story.tot.pk})
        assert response.status_code == 400
        assert response.json()["unknown"] == ["session"]


def report_query_parameters() -> dict[str, list[str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: [
            parameter["name"]
            for parameter in operation["get"].get("parameters", [])
            if parameter["in"] == "query"
        ]
        for path, operation in schema["paths"].items()
        if path.startswith("/api/v1/reports/")
    }


def test_every_parameter_in_the_schema_is_validated(client_as, story):
    client = client_as("manager")
    checked = 0
    for path, names in report_query_parameters().items():
        url = path.replace("{session_id}", str(story.tot.pk))
        for name in names:
            response = client.get(url, {name: "not-a-value"})
            checked += 1
            assert response.status_code == 400, (path, name)
            assert name in response.json(), (path, name, response.json())
    assert checked >= 20


def test_every_parameter_of_trained_changes_the_answer(client_as, story):
    """Each parameter the schema lists, given a value the story makes count,
    answers differently from the same query without it."""
    partner = OrganisationFactory(name="Oxfam", kind=Organisation.Kind.INTERNATIONAL)
    story.august.partners.add(partner)
    funder = OrganisationFactory(name="European Union")
    story.january.funders.add(funder)
    project = ProjectFactory()
    story.tot.projects.add(project)
    province = story.district_b.province
    changes = {
        "year": ({}, {"year": 2023}),
        "quarter": ({"year": 2022}, {"year": 2022, "quarter": 3}),
        "date_from": ({}, {"date_from": "2022-08-01"}),
        "date_to": ({}, {"date_to": "2022-07-01"}),
        "province": ({}, {"province": province.pk}),
        "district": ({}, {"district": story.district_a.pk}),
        "course": ({}, {"course": story.august.course_id}),
        "course_kind": ({}, {"course_kind": "tot"}),
        "organisation_kind": ({}, {"organisation_kind": "government"}),
        "partner": ({}, {"partner": partner.pk}),
        "funder": ({}, {"funder": funder.pk}),
        "project": ({}, {"project": project.pk}),
        "session": ({}, {"session": story.january.pk}),
        "by": ({}, {"by": "district"}),
    }
    client = client_as("manager")

    assert set(report_query_parameters()["/api/v1/reports/trained/"]) == set(changes)
    for name, (without, with_it) in changes.items():
        assert client.get(TRAINED, without).json() != (
            client.get(TRAINED, with_it).json()
        ), name


def test_the_report_page_keeps_the_session_filter(client_in_english, story):
    client = client_in_english("manager")

    page = client.get("/admin/reports/", {"session": story.august.pk}).content.decode()

    assert 'data-figure="trained-total">4<' in page
    assert f'name="session" value="{story.august.pk}"' in page


def test_tot_report_for_a_session_gives_the_sessions_impact(client_as, story):
    client = client_as("manager")
    impact = client.get(f"/api/v1/sessions/{story.tot.pk}/").json()["impact"]

    report = client.get(TOT, {"session": story.tot.pk}).json()

    assert {key: report[key] for key in impact} == impact
    assert report["people_trained"] == report["reach"]
    assert report["sessions_led"] == 1
    assert report["meetings_led"] == 0


def test_trained_includes_aggregate_records_and_gives_them_apart(client_as, story):
    from tests.factories import HistoricalTrainingFactory

    HistoricalTrainingFactory(district=story.district_a)  # 2019: 12 women, 18 men
    client = client_as("manager")

    totals = client.get(TRAINED).json()
    by_year = client.get(TRAINED, {"by": "year"}).json()

    assert totals["total"] == 7 + 30
    assert totals["aggregate"] == {
        "total": 30,
        "women": 12,
        "men": 18,
        "other": 0,
        "not_recorded": 0,
    }
    assert by_year["aggregate"]["total"] == 30
    assert by_year["total"]["total"] == 37
    assert [row["total"] for row in by_year["rows"]][0] == 30  # 2019
