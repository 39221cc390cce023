"""Follow-ups of trainees in the reports: the selector, the page, the exports and
``/api/v1/reports/follow-ups/`` honour the same filters (issue 18, item 2)."""

import datetime

import pytest

from reports.filters import ReportFilters
from reports.selectors import follow_up_summary
from trainings.models import TraineeFollowUp
from trainings.services import trainee_follow_up_record, trainee_follow_ups_ensure

pytestmark = pytest.mark.django_db
API = "/api/v1/reports/follow-ups/"


@pytest.fixture
def followed(story):
    """The June ToT's 3 graduates and the August session's 4 trainees, followed up;
    two of the ToT's 3-month follow-ups answered."""
    trainee_follow_ups_ensure(
        sessions=[story.tot, story.august], today=datetime.date(2022, 9, 1)
    )
    answered = TraineeFollowUp.objects.filter(
        enrolment__session=story.tot, months=3
    ).order_by("pk")[:2]
    for follow_up, used in zip(answered, ["yes", "partly"], strict=True):
        trainee_follow_up_record(
            follow_up=follow_up,
            by=None,
            status="done",
            used_learning=used,
            people_trained=5,
            people_registered=3,
            today=datetime.date(2022, 9, 20),
        )
    return story


def test_the_selector_counts_what_is_due_and_what_was_said(followed):
    summary = follow_up_summary(ReportFilters())

    assert (summary.due, summary.done, summary.overdue) == (14, 2, 12)
    assert (summary.used_yes, summary.used_partly, summary.used_no) == (1, 1, 0)
    assert (summary.people_trained, summary.people_registered) == (10, 6)


def test_the_filters_narrow_by_session_place_and_due_date(followed):
    tot = follow_up_summary(ReportFilters(session=followed.tot))
    phin = follow_up_summary(ReportFilters(district=followed.district_b))
    september = follow_up_summary(
        ReportFilters(
            date_from=datetime.date(2022, 9, 1), date_to=datetime.date(2022, 9, 30)
        )
    )

    assert (tot.due, tot.done) == (6, 2)
    assert (phin.due, phin.done) == (8, 0)
    assert (september.due, september.done, september.done_share) == (3, 2, 0.667)
    assert follow_up_summary(ReportFilters(sees_nothing=True)).due == 0


def test_the_api_answers_the_same_numbers(client_as, followed):
    client = client_as("manager")

    answer = client.get(API, {"session": followed.tot.pk})

    assert answer.status_code == 200
    assert answer.json()["due"] == 6
    assert answer.json()["done"] == 2
    assert answer.json()["done_share"] == 0.333
    assert answer.json()["used_partly"] == 1


def test_the_api_refuses_unknown_parameters_and_sessions_out_of_sight(
    client_as, followed
):
    assert client_as("manager").get(API, {"months": 3}).status_code == 400
    assert client_as("trainer").get(API, {"session": followed.tot.pk}).status_code == (
        400
    )
    assert client_as("trainer").get(API).json()["due"] == 0


def test_the_report_page_and_its_exports_show_the_follow_ups(
    client_in_english, followed
):
    client = client_in_english("manager")

    year = {"year": "2022"}  # the page opens on this year
    page = client.get("/admin/reports/", year).content.decode()
    csv = client.get("/admin/reports/export.csv", year).content.decode()

    assert 'data-testid="report-follow-ups"' in page
    assert "Follow-ups done" in page
    # Due in 2022: the ToT's two and August's 3-month follow-ups (its 6-month: 2023).
    assert "Follow-ups of trainees at 3 and 6 months,Follow-ups due,10" in csv
    other_year = client.get("/admin/reports/", {"year": "2021"}).content.decode()
    assert "No follow-up was due in these filters." in other_year
    assert "People they trained (reported),10" in csv
