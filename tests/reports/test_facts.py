"""The reports' facts stay equal to the enrolments, whatever writes them.

Every report counts people trained from ``reports.TrainedFact``; these tests make
each kind of write the application does and check that the table still equals a
fresh computation from the enrolments (``facts_differences``) and that the figure a
manager reads moved as it should.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from people.models import Gender, Organisation
from people.services import organisation_save, person_update
from reports import selectors
from reports.facts import facts_differences, facts_rebuild
from reports.filters import ReportFilters
from reports.models import TrainedFact
from reports.tasks import facts_rebuild_nightly
from tests.factories import CourseFactory, PersonFactory, SessionFactory, enrol
from trainings.imports import sheet_import
from trainings.models import Attendance, Course, Enrolment
from trainings.services import (
    attendance_record_day,
    course_update,
    enrolment_update,
    session_complete,
    session_update,
)

pytestmark = pytest.mark.django_db

EVERYTHING = ReportFilters()


def trained():
    return selectors.trained_total(EVERYTHING)


def assert_true_to_the_enrolments():
    assert facts_differences() == []


def test_the_story_is_in_the_facts(story):
    assert TrainedFact.objects.count() == 9  # completed participant enrolments
    assert_true_to_the_enrolments()
    noy = story.people["noy"]
    assert set(
        TrainedFact.objects.filter(person=noy).values_list("tot_graduate", flat=True)
    ) == {True}
    assert not TrainedFact.objects.filter(person=story.people["lee"], tot_graduate=True)


def test_completing_a_session_in_bulk_adds_its_graduates():
    session = SessionFactory(course=CourseFactory(min_attendance_percent=50))
    present, absent = enrol(session, PersonFactory(), PersonFactory())
    for day in session.days.all():
        attendance_record_day(
            day=day, statuses={present.pk: "present", absent.pk: "absent"}
        )
    assert trained().total == 0

    session_complete(session=session, today=session.ends_on + datetime.timedelta(1))

    assert trained().total == 1
    assert TrainedFact.objects.get().person_id == present.person_id
    assert_true_to_the_enrolments()


def test_a_save_of_fields_the_facts_do_not_copy_leaves_them_alone(story):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    story.august.status = "completed"
    with CaptureQueriesContext(connection) as captured:
        story.august.save(update_fields=["status"])
        story.people["lee"].save(update_fields=["position"])

    # The facts are left alone; only the data version moves, for the session's
    # status (a cancelled session is not counted among the sessions led).
    touched = [q["sql"] for q in captured if "reports_" in q["sql"]]
    assert all(sql.startswith('UPDATE "reports_factsversion"') for sql in touched)
    assert_true_to_the_enrolments()


def test_a_changed_gender_moves_the_person_between_buckets(story):
    before = trained()
    person_update(person=story.people["lee"], gender=Gender.WOMAN)

    after = trained()
    assert (after.women, after.men) == (before.women + 1, before.men - 1)
    assert_true_to_the_enrolments()


def test_an_organisation_of_another_kind_moves_its_people(
    story, django_capture_on_commit_callbacks
):
    filters = ReportFilters(organisation_kind=Organisation.Kind.GOVERNMENT)
    before = selectors.trained_total(filters).total
    ministry = story.people["noy"].organisation
    ministry.kind = Organisation.Kind.TRADE_UNION
    # Everyone of the organisation: refreshed by a task after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        organisation_save(organisation=ministry)

    assert selectors.trained_total(filters).total == before - 2  # Noy and Kham
    assert_true_to_the_enrolments()


def test_a_course_that_becomes_a_tot_makes_its_graduates_trainers(
    story, django_capture_on_commit_callbacks
):
    assert not TrainedFact.objects.filter(person=story.people["lee"], tot_graduate=True)
    with django_capture_on_commit_callbacks(execute=True):
        course_update(course=story.august.course, kind=Course.Kind.TOT)

    assert TrainedFact.objects.filter(person=story.people["lee"], tot_graduate=True)
    assert selectors.tot_summary(EVERYTHING).sessions == 3  # August and January
    assert_true_to_the_enrolments()


def test_a_moved_session_moves_its_people_in_place_and_period(story):
    in_2023 = ReportFilters(
        date_from=datetime.date(2023, 1, 1), date_to=datetime.date(2023, 12, 31)
    )
    assert selectors.trained_total(in_2023).total == 2
    # Days with attendance cannot move away: clear them as a trainer would first.
    Attendance.objects.filter(day__session=story.january).delete()
    session_update(session=story.january, ends_on=datetime.date(2022, 12, 31))

    assert selectors.trained_total(in_2023).total == 0
    assert_true_to_the_enrolments()


def test_a_withdrawn_or_deleted_enrolment_leaves_the_count(story):
    before = trained().total
    dao = Enrolment.objects.get(session=story.august, person=story.people["dao"])
    enrolment_update(enrolment=dao, status=Enrolment.Status.WITHDRAWN)
    assert trained().total == before - 1

    Enrolment.objects.get(session=story.january, person=story.people["bee"]).delete()
    assert trained().total == before - 2
    assert_true_to_the_enrolments()


def test_a_deleted_session_takes_its_facts(story):
    story.january.delete()

    assert not TrainedFact.objects.filter(session_id=story.january.pk)
    assert_true_to_the_enrolments()


def test_a_sign_in_sheet_that_corrects_a_gender_corrects_the_count(story):
    lee = story.people["lee"]
    person_update(person=lee, phone="020 5555 7777")
    session = SessionFactory()
    header = ["Full name", "Gender", "Birth year", "Phone", "Organisation"]
    header += ["District", "Village"]
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(["Lee", "ຍິງ", "", "020 5555 7777", "", "", ""])
    content = io.BytesIO()
    workbook.save(content)
    before = trained()

    report = sheet_import(
        session=session,
        content=content.getvalue(),
        filename="sheet.xlsx",
        dry_run=False,
    )

    assert report.committed and report.rows[0].changes == {"gender": Gender.WOMAN}
    assert trained().women == before.women + 1
    assert_true_to_the_enrolments()


def test_rebuild_repairs_rows_written_past_the_application(story):
    TrainedFact.objects.filter(person=story.people["noy"]).delete()
    TrainedFact.objects.filter(person=story.people["lee"]).update(gender="other")
    # Noy's 2 rows missing; Lee's 2 rows stale, and their true versions missing.
    assert len(facts_differences()) == 6

    with pytest.raises(CommandError, match="6 row"):
        call_command("reports_facts", "--check")
    assert facts_rebuild() == 9
    assert_true_to_the_enrolments()
    call_command("reports_facts", "--check")


def test_the_nightly_task_and_the_command_rebuild(story, capsys):
    TrainedFact.objects.all().delete()
    assert facts_rebuild_nightly() == 9
    TrainedFact.objects.all().delete()

    call_command("reports_facts")

    assert "Rebuilt 9 row(s)" in capsys.readouterr().out
    assert_true_to_the_enrolments()


def test_certificates_issued_revoked_and_reissued_are_in_the_facts(story, admin_user):
    from certificates.services import (
        certificate_issue,
        certificate_reissue,
        certificate_revoke,
    )

    enrolment = Enrolment.objects.get(session=story.tot, person=story.people["noy"])
    certificate, _created = certificate_issue(enrolment=enrolment, by=admin_user)
    assert selectors.certificate_summary(EVERYTHING).issued.women == 1
    replacement = certificate_reissue(certificate=certificate, by=admin_user)
    certificate_revoke(certificate=replacement, reason="Wrong name", by=admin_user)
    assert_true_to_the_enrolments()

    person_update(person=story.people["noy"], gender=Gender.NOT_RECORDED)

    summary = selectors.certificate_summary(EVERYTHING)
    assert (summary.issued.women, summary.issued.not_recorded) == (0, 2)
    assert summary.revoked == 1
    assert_true_to_the_enrolments()
