"""Learning: pre- and post-test scores summed up (issue 18, item 1)."""

from decimal import Decimal

import pytest

from people.models import Gender
from tests.factories import CourseFactory, PersonFactory, SessionFactory, enrol
from trainings.models import Enrolment
from trainings.selectors import (
    Learning,
    learning_by_gender,
    learning_grouped,
    session_learning,
    sessions_learning,
)

pytestmark = pytest.mark.django_db


def _scored(session, gender, pre, post, role=Enrolment.Role.PARTICIPANT):
    (enrolment,) = enrol(session, PersonFactory(gender=gender), role=role)
    enrolment.pre_score = None if pre is None else Decimal(pre)
    enrolment.post_score = None if post is None else Decimal(post)
    enrolment.save(update_fields=["pre_score", "post_score"])
    return enrolment


def test_means_gain_and_shares_by_gender():
    session = SessionFactory(course=CourseFactory(min_post_score=Decimal(50)))
    _scored(session, Gender.WOMAN, "40", "70")  # +30, passed
    _scored(session, Gender.WOMAN, "60", "55")  # -5, passed
    _scored(session, Gender.MAN, "30", "45")  # +15, not passed

    learning = session_learning(session=session)

    assert learning["total"] == Learning(
        scored=3,
        pre_mean=43.3,
        post_mean=56.7,
        gain_mean=13.3,
        improved_share=0.667,
        passed_share=0.667,
    )
    assert learning["women"].scored == 2
    assert learning["women"].gain_mean == 12.5
    assert learning["women"].passed_share == 1.0
    assert learning["men"] == Learning(
        scored=1,
        pre_mean=30.0,
        post_mean=45.0,
        gain_mean=15.0,
        improved_share=1.0,
        passed_share=0.0,
    )
    assert learning["other"] == Learning()


def test_only_participants_with_both_scores_count():
    session = SessionFactory()
    _scored(session, Gender.WOMAN, "50", "80")
    _scored(session, Gender.WOMAN, None, "90")  # no pre-test: no gain to measure
    _scored(session, Gender.MAN, "20", None)
    _scored(session, Gender.MAN, "10", "100", role=Enrolment.Role.FACILITATOR)

    learning = session_learning(session=session)

    assert learning["total"].scored == 1
    assert learning["total"].gain_mean == 30.0


def test_without_a_minimum_post_score_nobody_passes_or_fails():
    session = SessionFactory(course=CourseFactory(min_post_score=None))
    _scored(session, Gender.WOMAN, "50", "80")

    assert session_learning(session=session)["total"].passed_share is None


def test_many_sessions_are_summed_in_one_query(django_assert_num_queries):
    first, second = SessionFactory(), SessionFactory()
    _scored(first, Gender.WOMAN, "40", "60")
    _scored(second, Gender.MAN, "60", "60")

    with django_assert_num_queries(1):
        learning = learning_by_gender(
            enrolments=Enrolment.objects.filter(session__in=[first, second])
        )

    assert learning["total"].scored == 2
    assert learning["total"].improved_share == 0.5


def test_each_of_many_sessions_in_one_query(django_assert_num_queries):
    first, second, unscored = SessionFactory(), SessionFactory(), SessionFactory()
    _scored(first, Gender.WOMAN, "40", "60")
    _scored(second, Gender.MAN, "60", "50")

    with django_assert_num_queries(1):
        learning = sessions_learning(sessions=[first, second, unscored])

    assert learning[first.pk]["total"].gain_mean == 20.0
    assert learning[second.pk]["men"].gain_mean == -10.0
    assert learning[second.pk]["women"] == Learning()
    assert learning[unscored.pk]["total"] == Learning()


def test_the_session_api_carries_learning(client_as):
    session = SessionFactory(course=CourseFactory(min_post_score=Decimal(50)))
    _scored(session, Gender.WOMAN, "40", "70")
    _scored(session, Gender.MAN, "50", "45")

    body = client_as("manager").get(f"/api/v1/sessions/{session.pk}/").json()
    listed = client_as("manager").get("/api/v1/sessions/").json()["results"]

    assert body["learning"]["total"] == {
        "scored": 2,
        "pre_mean": 45.0,
        "post_mean": 57.5,
        "gain_mean": 12.5,
        "improved_share": 0.5,
        "passed_share": 0.5,
    }
    assert body["learning"]["women"]["gain_mean"] == 30.0
    assert body["learning"]["feedback_count"] == 0
    assert listed[0]["learning"] == body["learning"]


def test_the_session_api_counts_feedback_forms_per_session(client_as):
    from feedback.models import Feedback

    first, second = SessionFactory(), SessionFactory()
    for session, forms in ((first, 2), (second, 1)):
        for _ in range(forms):
            Feedback.objects.create(
                session=session, relevance=5, trainer=5, materials=4
            )

    listed = client_as("manager").get("/api/v1/sessions/").json()["results"]
    one = client_as("manager").get(f"/api/v1/sessions/{first.pk}/").json()

    counts = {item["id"]: item["learning"]["feedback_count"] for item in listed}
    assert counts == {first.pk: 2, second.pk: 1}
    assert one["learning"]["feedback_count"] == 2
    assert "pre_mean" in one["learning"]["total"]  # nothing removed


def test_learning_grouped_by_course_in_one_query(django_assert_num_queries):
    first = SessionFactory()
    same_course = SessionFactory(course=first.course)
    _scored(first, Gender.WOMAN, "40", "60")
    _scored(same_course, Gender.MAN, "60", "50")

    with django_assert_num_queries(1):
        learning = learning_grouped(
            enrolments=Enrolment.objects.all(), by="session__course_id"
        )

    assert list(learning) == [first.course_id]
    assert learning[first.course_id]["total"].scored == 2
    assert learning[first.course_id]["total"].gain_mean == 5.0


def test_the_session_page_shows_learning_by_gender(client_as):
    session = SessionFactory(course=CourseFactory(min_post_score=Decimal(50)))
    _scored(session, Gender.WOMAN, "40", "70")
    _scored(session, Gender.MAN, "50", "45")

    page = client_as("manager").get(
        f"/admin/sessions/inspect/{session.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )

    table = page.content.decode()
    assert 'data-testid="learning"' in table
    assert "+12.5" in table and "+30.0" in table and "-5.0" in table
    assert "Everyone" in table and "Women" in table
    assert "Gender not recorded" not in table


def test_the_session_page_says_when_nobody_has_both_scores(client_as):
    session = SessionFactory()
    _scored(session, Gender.WOMAN, None, "70")

    page = client_as("manager").get(f"/admin/sessions/inspect/{session.pk}/")

    assert 'data-testid="learning-empty"' in page.content.decode()
