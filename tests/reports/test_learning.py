"""Learning and feedback on the Reports page, in its exports and the API (issue 18,
item 1): the trainings and feedback selectors' figures, under the report filters."""

import csv
import io
from dataclasses import replace
from decimal import Decimal

import pytest

from feedback.models import Feedback
from reports import selectors
from reports.exports import report_csv
from reports.filters import ReportFilters
from reports.report import report_build
from trainings.models import Enrolment
from trainings.selectors import learning_by_gender

pytestmark = pytest.mark.django_db
LEARNING = "/api/v1/reports/learning/"


def _score(session, person, pre, post):
    Enrolment.objects.filter(session=session, person=person).update(
        pre_score=Decimal(pre), post_score=Decimal(post)
    )


def _form(session, relevance, improve=""):
    Feedback.objects.create(
        session=session, relevance=relevance, trainer=4, materials=4, improve=improve
    )


@pytest.fixture
def scored(story):
    people = story.people
    _score(story.tot, people["noy"], 40, 80)  # woman, +40
    _score(story.tot, people["kham"], 50, 60)  # man, +10
    _score(story.august, people["lee"], 70, 65)  # man, -5
    _form(story.tot, 5)
    _form(story.tot, 4, improve="ຢາກໃຫ້ມີເວລາຝຶກຫຼາຍຂຶ້ນ")
    _form(story.august, 2)
    return story


def test_learning_total_is_the_trainings_selectors_figure(scored):
    learning = selectors.learning_total(ReportFilters())

    assert learning == learning_by_gender(enrolments=Enrolment.objects.all())
    assert learning["total"].scored == 3
    assert learning["total"].gain_mean == 15.0
    assert learning["women"].gain_mean == 40.0
    assert learning["men"].improved_share == 0.5


def test_learning_by_course_keeps_courses_apart_with_their_feedback(scored):
    rows = {
        row.course.title_en: row
        for row in selectors.learning_by_course(ReportFilters())
    }

    tot = rows[scored.tot.course.title_en]
    farm = rows["Farm workers"]
    assert tot.learning["total"].scored == 2
    assert tot.learning["total"].gain_mean == 25.0
    assert tot.feedback.count == 2
    assert tot.feedback.means["relevance"] == 4.5
    assert farm.learning["men"].gain_mean == -5.0
    assert farm.feedback.count == 1


def test_learning_honours_the_report_filters(scored):
    in_paksong = ReportFilters(district=scored.district_a)
    government = ReportFilters(organisation_kind="government")
    before_august = ReportFilters(date_to=scored.tot.ends_on)

    assert selectors.learning_total(in_paksong)["total"].scored == 2
    assert selectors.feedback_total(in_paksong).count == 2
    assert selectors.learning_total(government)["total"].scored == 2  # Noy, Kham
    # Feedback is anonymous: the organisation kind does not narrow it.
    assert selectors.feedback_total(government).count == 3
    assert selectors.learning_total(before_august)["total"].scored == 2
    assert selectors.feedback_total(before_august).count == 2


def test_learning_follows_the_partner_funder_and_project_filters(scored):
    """One meaning for every figure: a partner is not a funder (issue 17)."""
    from tests.factories import OrganisationFactory, ProjectFactory

    oxfam, eu = OrganisationFactory(name="Oxfam"), OrganisationFactory(name="EU")
    project = ProjectFactory()
    scored.tot.partners.add(oxfam)
    scored.august.funders.add(eu)
    scored.august.projects.add(project)

    def scored_with(**links):
        return selectors.learning_total(ReportFilters(**links))["total"].scored

    assert scored_with(partner=oxfam) == 2  # the ToT's Noy and Kham
    assert scored_with(partner=eu) == 0  # the EU funds; it is no partner
    assert scored_with(funder=eu) == 1  # Lee, in August
    assert scored_with(project=project) == 1
    assert selectors.feedback_total(ReportFilters(funder=eu)).count == 1


def test_learning_keeps_to_the_users_sessions_and_to_nothing(scored):
    from trainings.models import Session

    only_august = ReportFilters(sessions=Session.objects.filter(pk=scored.august.pk))

    assert selectors.learning_total(only_august)["total"].scored == 1
    assert selectors.feedback_total(only_august).count == 1
    nothing = replace(ReportFilters(), sees_nothing=True)
    assert selectors.learning_total(nothing)["total"].scored == 0
    assert selectors.learning_by_course(nothing) == []


def test_the_api_answers_the_same_figures(client_as, scored):
    client = client_as("manager")

    body = client.get(LEARNING).json()
    one_session = client.get(LEARNING, {"session": scored.august.pk}).json()

    assert body["learning"]["total"]["scored"] == 3
    assert body["learning"]["total"]["gain_mean"] == 15.0
    assert body["feedback"]["count"] == 3
    assert {course["course"] for course in body["courses"]} == {
        scored.tot.course_id,
        scored.august.course_id,
    }
    assert one_session["learning"]["total"]["scored"] == 1
    assert one_session["feedback"]["count"] == 1


def test_the_api_refuses_an_unknown_parameter_and_other_readers(client_as, scored):
    assert client_as("manager").get(LEARNING, {"by": "course"}).status_code == 400
    assert client_as("editor").get(LEARNING).status_code == 403


def test_the_report_csv_has_learning_and_feedback_rows(scored):
    with_learning = report_build(ReportFilters())

    rows = list(csv.reader(io.StringIO(report_csv(with_learning).decode("utf-8-sig"))))

    learning = [row for row in rows if row and row[0] == "Learning"]
    by_course = [row for row in rows if row and row[0] == "Learning by course"]
    feedback = [row for row in rows if row and row[0] == "Participants' feedback"]
    assert ["Learning", "Everyone", "3", "53.3", "68.3", "15", "67"] == learning[1][:7]
    assert any(row[1].startswith("Farm workers") for row in by_course)
    assert feedback[-1][:3] == ["Participants' feedback", "Total", "3"]


def test_the_reports_page_shows_the_learning_section(client_in_english, scored):
    page = client_in_english("manager").get("/admin/reports/", {"year": 2022})

    content = page.content.decode()
    assert 'data-testid="report-learning"' in content
    assert 'data-testid="learning-by-course"' in content
    assert 'data-testid="feedback-by-course"' in content
    assert "ຢາກໃຫ້ມີເວລາຝຶກຫຼາຍຂຶ້ນ" not in content  # comments stay on the session
