"""Feedback summed up: per session, per course, counts for many sessions."""

import datetime

import pytest

from feedback.models import Feedback
from feedback.selectors import (
    feedback_by_course,
    feedback_comments,
    feedback_open,
    feedback_summary,
    sessions_feedback_counts,
)
from tests.factories import SessionFactory
from trainings.models import Session

pytestmark = pytest.mark.django_db


def _form(session, relevance, trainer, materials, recommend=None, improve=""):
    return Feedback.objects.create(
        session=session,
        relevance=relevance,
        trainer=trainer,
        materials=materials,
        recommend=recommend,
        improve=improve,
    )


def test_summary_means_distribution_and_recommendation():
    session = SessionFactory()
    _form(session, 5, 4, 3, recommend=True)
    _form(session, 4, 4, 2, recommend=True)
    _form(session, 3, 5, 2, recommend=False)
    _form(session, 5, 5, 5)  # did not answer "would recommend"

    summary = feedback_summary(feedback=Feedback.objects.filter(session=session))

    assert summary.count == 4
    assert summary.means == {"relevance": 4.2, "trainer": 4.5, "materials": 3.0}
    assert summary.distribution["relevance"] == [0, 0, 1, 1, 2]
    assert summary.distribution["materials"] == [0, 2, 1, 0, 1]
    assert (summary.recommend_yes, summary.recommend_no) == (2, 1)
    assert summary.recommend_share == 0.667


def test_summary_of_no_forms_is_empty():
    summary = feedback_summary(feedback=Feedback.objects.none())

    assert summary.count == 0
    assert summary.means == {}
    assert summary.recommend_share is None


def test_by_course_and_counts_per_session_keep_sessions_apart():
    first, second, other_course = SessionFactory(), SessionFactory(), SessionFactory()
    second.course = first.course
    second.save()
    _form(first, 5, 5, 5)
    _form(second, 3, 3, 3)
    _form(other_course, 1, 1, 1)

    by_course = dict(feedback_by_course(feedback=Feedback.objects.all()))
    counts = sessions_feedback_counts(sessions=[first, second, other_course])

    assert by_course[first.course].count == 2
    assert by_course[first.course].means["trainer"] == 4.0
    assert by_course[other_course.course].means["trainer"] == 1.0
    assert counts == {first.pk: 1, second.pk: 1, other_course.pk: 1}


def test_comments_are_the_forms_that_say_what_to_improve():
    session = SessionFactory()
    _form(session, 5, 5, 5, improve="ຢາກໃຫ້ມີເວລາຝຶກປະຕິບັດຫຼາຍກວ່ານີ້")
    _form(session, 4, 4, 4)

    comments = feedback_comments(feedback=Feedback.objects.all())

    assert [c.improve for c in comments] == ["ຢາກໃຫ້ມີເວລາຝຶກປະຕິບັດຫຼາຍກວ່ານີ້"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2022, 6, 13), False),  # before the first day
        (datetime.date(2022, 6, 14), True),
        (datetime.date(2022, 7, 16), True),  # 30 days after the last day
        (datetime.date(2022, 7, 17), False),
    ],
)
def test_the_form_is_open_from_the_first_day_to_30_days_after_the_last(today, expected):
    session = SessionFactory(
        starts_on=datetime.date(2022, 6, 14), ends_on=datetime.date(2022, 6, 16)
    )

    assert feedback_open(session=session, today=today) is expected


def test_a_cancelled_session_takes_no_feedback():
    session = SessionFactory(status=Session.Status.CANCELLED)

    assert not feedback_open(session=session, today=session.starts_on)
