"""Completion reasons are stored as codes and read in the reader's language (issue
16, item 4); the sentences stored before the codes become codes where recognised."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from tests.factories import CourseFactory, PersonFactory, SessionFactory, enrol
from trainings.completion import reasons_from_text, reasons_text
from trainings.models import Enrolment
from trainings.services import (
    attendance_record_day,
    enrolment_update,
    session_complete,
)

pytestmark = pytest.mark.django_db
AFTER = datetime.date(2030, 1, 1)


@pytest.fixture
def completed(db):
    """A session (three days, 80 % and a post-test of 60 required) completed by one
    participant and not by the other."""
    course = CourseFactory(min_attendance_percent=80, min_post_score=60)
    session = SessionFactory(course=course)
    passed, failed = enrol(session, PersonFactory(), PersonFactory())
    enrolment_update(enrolment=passed, post_score=Decimal("72.5"))
    enrolment_update(enrolment=failed, post_score=Decimal("50"))
    for index, day in enumerate(session.days.all()):
        attendance_record_day(
            day=day,
            statuses={
                passed.pk: "present",
                failed.pk: "present" if index == 0 else "absent",
            },
        )
    session_complete(session=session, today=AFTER)
    passed.refresh_from_db()
    failed.refresh_from_db()
    return passed, failed


def test_completing_stores_codes_not_sentences(completed):
    _passed, failed = completed

    assert failed.completion_note == ""
    assert failed.completion_reasons == [
        {"code": "attendance", "attended": 1, "days": 3, "percent": 33, "required": 80},
        {"code": "post_test", "score": "50", "required": "60"},
    ]


def test_the_reasons_read_in_the_readers_language(completed):
    passed, failed = completed

    with translation.override("en"):
        assert passed.completion_reason == (
            "Attended 3 of 3 days (100 %); post-test 72.5"
        )
        assert failed.completion_reason == (
            "Attended 1 of 3 days (33 %); 80 % required; post-test 50; 60 required"
        )
    with translation.override("lo"):
        assert failed.completion_reason == (
            "ເຂົ້າຮ່ວມ 1 ໃນ 3 ມື້ (33 %); ຕ້ອງການຢ່າງໜ້ອຍ 80 %; "
            "ຄະແນນການທົດສອບຫຼັງຝຶກ 50; ຕ້ອງການຢ່າງໜ້ອຍ 60"
        )


def test_the_session_page_shows_the_reasons_in_lao(completed, client_as):
    passed, _failed = completed

    page = client_as("admin").get(reverse("sessions:inspect", args=[passed.session_id]))

    assert "ຄະແນນການທົດສອບຫຼັງຝຶກ 72.5" in page.content.decode()


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        (
            "Attended 1 of 3 days (33 %); 80 % required; post-test 50; 60 required",
            [
                {
                    "code": "attendance",
                    "attended": 1,
                    "days": 3,
                    "percent": 33,
                    "required": 80,
                },
                {"code": "post_test", "score": "50", "required": "60"},
            ],
        ),
        (
            "ເຂົ້າຮ່ວມ 3 ໃນ 3 ມື້ (100 %); ບໍ່ມີຄະແນນການທົດສອບຫຼັງຝຶກ (ຕ້ອງການຢ່າງໜ້ອຍ 50)",
            [
                {"code": "attendance", "attended": 3, "days": 3, "percent": 100},
                {"code": "no_post_test", "required": "50"},
            ],
        ),
        (
            "ຄະແນນການທົດສອບຫຼັງຝຶກ 72,50",
            [{"code": "post_test", "score": "72.5"}],
        ),
        (
            "No attendance days or test required",
            [{"code": "nothing_required"}],
        ),
        ("Left after the first day for a funeral", None),
        ("Attended 3 of 3 days (100 %); and then some", None),
    ],
)
def test_stored_sentences_are_read_as_codes_where_recognised(text, reasons):
    assert reasons_from_text(text) == reasons


def test_the_migration_turns_stored_sentences_into_codes(completed):
    passed, failed = completed
    Enrolment.objects.filter(pk=passed.pk).update(
        completion_reasons=[],
        completion_note="ເຂົ້າຮ່ວມ 3 ໃນ 3 ມື້ (100 %); ຄະແນນການທົດສອບຫຼັງຝຶກ 72.5",
    )
    Enrolment.objects.filter(pk=failed.pk).update(
        completion_reasons=[], completion_note="Left for a funeral"
    )
    migration = importlib.import_module(
        "trainings.migrations.0004_enrolment_completion_reasons"
    )

    migration.reasons_from_notes(apps, None)

    passed.refresh_from_db()
    failed.refresh_from_db()
    assert passed.completion_note == ""
    with translation.override("en"):
        assert passed.completion_reason == (
            "Attended 3 of 3 days (100 %); post-test 72.5"
        )
    assert failed.completion_reasons == []
    assert failed.completion_reason == "Left for a funeral"


def test_reasons_text_of_nothing_is_empty():
    assert reasons_text([]) == ""
