"""Writing feedback: the link, phone forms, paper forms all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from feedback.models import Feedback
from feedback.services import (
    feedback_link_ensure,
    feedback_paper_record,
    feedback_submit,
)
from periods.models import PeriodApproval
from periods.services import period_approve
from tests.factories import SessionFactory

from .conftest import answers

pytestmark = pytest.mark.django_db


def test_each_session_gets_one_long_random_token():
    first, second = SessionFactory(), SessionFactory()

    link = feedback_link_ensure(session=first)

    assert feedback_link_ensure(session=first) == link
    assert feedback_link_ensure(session=second).token != link.token
    assert len(link.token) == 32
    assert first.code not in link.token


def test_a_phone_form_is_saved_while_open_and_refused_after():
    session = SessionFactory()

    feedback = feedback_submit(session=session, today=session.ends_on, **answers())

    assert feedback.source == Feedback.Source.PHONE
    assert feedback.entered_by is None
    with pytest.raises(ValidationError, match="no longer takes feedback"):
        feedback_submit(
            session=session,
            today=session.ends_on + datetime.timedelta(days=31),
            **answers(),
        )
    assert Feedback.objects.count() == 1


def test_a_rating_outside_1_to_5_is_refused():
    session = SessionFactory()

    with pytest.raises(ValidationError):
        feedback_submit(session=session, today=session.ends_on, **answers(trainer=6))


def test_paper_forms_are_saved_all_or_nothing(make_user):
    session = SessionFactory()
    trainer = make_user("trainer")

    with pytest.raises(ValidationError):
        feedback_paper_record(
            session=session, forms=[answers(), answers(materials=0)], by=trainer
        )
    assert not Feedback.objects.exists()

    saved = feedback_paper_record(
        session=session, forms=[answers(), answers(improve=" ຫ້ອງຮ້ອນ ")], by=trainer
    )

    assert len(saved) == 2
    assert {f.source for f in saved} == {Feedback.Source.PAPER}
    assert Feedback.objects.get(improve="ຫ້ອງຮ້ອນ").entered_by == trainer


def test_paper_forms_are_refused_in_an_approved_period(make_user):
    session = SessionFactory()
    period_approve(
        district=session.district,
        kind=PeriodApproval.Kind.MONTH,
        year=session.starts_on.year,
        number=session.starts_on.month,
        by=make_user("manager"),
    )

    with pytest.raises(ValidationError, match="is approved"):
        feedback_paper_record(
            session=session, forms=[answers()], by=make_user("trainer")
        )
    assert not Feedback.objects.exists()
