import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from periods.models import PeriodApproval
from periods.services import (
    period_approve,
    period_bounds,
    period_ensure_open,
    period_unapprove,
)
from tests.factories import DistrictFactory, PersonFactory, SessionFactory, enrol
from trainings.models import Attendance
from trainings.services import (
    attendance_record_day,
    enrolment_add,
    enrolment_update,
    session_complete,
    session_create,
    session_update,
)

pytestmark = pytest.mark.django_db
QUARTER = PeriodApproval.Kind.QUARTER
MONTH = PeriodApproval.Kind.MONTH


@pytest.fixture
def manager(make_user):
    return make_user("manager")


def test_period_bounds_of_months_and_quarters():
    assert period_bounds(kind=MONTH, year=2024, number=2) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 29),
    )
    assert period_bounds(kind=QUARTER, year=2022, number=2) == (
        datetime.date(2022, 4, 1),
        datetime.date(2022, 6, 30),
    )
    with pytest.raises(ValidationError):
        period_bounds(kind=QUARTER, year=2022, number=5)


def test_a_day_in_an_approved_period_is_closed_at_both_boundaries(manager):
    district, other = DistrictFactory(), DistrictFactory()
    period_approve(district=district, kind=MONTH, year=2022, number=6, by=manager)

    for day in (datetime.date(2022, 6, 1), datetime.date(2022, 6, 30)):
        with pytest.raises(ValidationError, match="is approved"):
            period_ensure_open(district=district, day=day)
    period_ensure_open(district=district, day=datetime.date(2022, 5, 31))
    period_ensure_open(district=district, day=datetime.date(2022, 7, 1))
    period_ensure_open(district=other, day=datetime.date(2022, 6, 15))


def test_a_period_cannot_be_approved_twice_or_inside_an_approved_quarter(manager):
    district = DistrictFactory()
    period_approve(district=district, kind=QUARTER, year=2022, number=2, by=manager)

    with pytest.raises(ValidationError, match="already approved"):
        period_approve(district=district, kind=MONTH, year=2022, number=5, by=manager)


def test_unapproval_needs_a_reason_and_is_logged(manager):
    district = DistrictFactory()
    approval = period_approve(
        district=district, kind=MONTH, year=2022, number=6, by=manager
    )
    with pytest.raises(ValidationError, match="Say why"):
        period_unapprove(approval=approval, reason="  ", by=manager)

    period_unapprove(approval=approval, reason="Late attendance sheet", by=manager)

    approval.refresh_from_db()
    assert approval.revoked_by == manager
    assert approval.revoke_reason == "Late attendance sheet"
    period_ensure_open(district=district, day=datetime.date(2022, 6, 15))
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(approval.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"suksa.period.approve", "suksa.period.unapprove"}
    # The period can be approved again; the history keeps both rows.
    period_approve(district=district, kind=MONTH, year=2022, number=6, by=manager)
    assert PeriodApproval.objects.filter(district=district).count() == 2


def test_training_changes_in_an_approved_period_are_refused(manager):
    session = SessionFactory()  # 14–16 June 2022
    first, second = PersonFactory(), PersonFactory()
    (enrolment,) = enrol(session, first)
    day = session.days.first()
    period_approve(
        district=session.district, kind=MONTH, year=2022, number=6, by=manager
    )

    refused = [
        lambda: session_update(session=session, venue="Elsewhere"),
        lambda: session_update(
            session=session,
            starts_on=datetime.date(2022, 7, 1),
            ends_on=datetime.date(2022, 7, 2),
        ),
        lambda: enrolment_add(session=session, person=second),
        lambda: enrolment_update(enrolment=enrolment, post_score=90),
        lambda: attendance_record_day(
            day=day, statuses={enrolment.pk: Attendance.Status.PRESENT}
        ),
        lambda: session_complete(session=session),
        lambda: session_create(
            course=session.course,
            starts_on=datetime.date(2022, 6, 30),
            ends_on=datetime.date(2022, 7, 1),
            district=session.district,
        ),
    ]
    for change in refused:
        with pytest.raises(ValidationError, match="is approved"):
            change()
    assert not Attendance.objects.exists()
    assert session.enrolments.count() == 1


def test_training_changes_are_accepted_again_after_unapproval(manager):
    session = SessionFactory()
    approval = period_approve(
        district=session.district, kind=MONTH, year=2022, number=6, by=manager
    )
    period_unapprove(approval=approval, reason="Correction", by=manager)

    session_update(session=session, venue="Elsewhere")
    enrolment_add(session=session, person=PersonFactory())

    assert session.enrolments.count() == 1
