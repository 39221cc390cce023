"""A district whose June 2022 and June 2023 figures a manager can approve."""

import datetime
from dataclasses import dataclass

import pytest

from certificates.models import Certificate
from certificates.services import certificate_issue
from periods.models import PeriodApproval
from periods.services import period_approve
from promoters.models import CentreVisit, InformationCentre, VillageMeeting
from promoters.services import centre_visit_record
from tests.factories import (
    DistrictFactory,
    DistrictOfficeFactory,
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    enrol,
    record_meeting,
)
from trainings.models import Attendance, Enrolment, Session
from trainings.services import attendance_record_session, session_complete

JUNE_2022 = datetime.date(2022, 6, 1)
JUNE_2023 = datetime.date(2023, 6, 1)


@dataclass
class World:
    """A district with a June 2022 ToT (two graduates, one with a certificate, one
    participant who did not complete), another planned June session with no one
    enrolled yet, and June 2023 promoter work."""

    district: object
    manager: object
    admin: object
    session: Session
    planned: Session
    holder: Enrolment
    graduate: Enrolment
    dropout: Enrolment
    certificate: Certificate
    promoter: object
    meeting: VillageMeeting
    centre: InformationCentre
    visit: CentreVisit

    def approve(self) -> list[PeriodApproval]:
        return [
            period_approve(
                district=self.district,
                kind=PeriodApproval.Kind.MONTH,
                year=when.year,
                number=when.month,
                by=self.manager,
            )
            for when in (JUNE_2022, JUNE_2023)
        ]


@pytest.fixture
def world(make_user, admin_user) -> World:
    district = DistrictFactory(name_lo="ປາກຊ່ອງ", name_en="Paksong")
    session = SessionFactory(district=district)
    holder, graduate, dropout = enrol(
        session, PersonFactory(), PersonFactory(), PersonFactory()
    )
    attendance_record_session(
        session=session,
        statuses={
            day.pk: {
                holder.pk: Attendance.Status.PRESENT,
                graduate.pk: Attendance.Status.PRESENT,
            }
            for day in session.days.all()
        },
    )
    session_complete(session=session)
    certificate, _created = certificate_issue(enrolment=holder, by=admin_user)
    office = DistrictOfficeFactory(district=district)
    promoter = PromoterFactory(office=office)
    centre = InformationCentre.objects.create(
        name="Paksong Worker Information Centre",
        host_organisation="Paksong District Labour Office",
        host_kind=InformationCentre.HostKind.GOVERNMENT_OFFICE,
        district=district,
    )
    return World(
        district=district,
        manager=make_user("manager"),
        admin=admin_user,
        session=session,
        planned=SessionFactory(
            course=session.course,
            district=district,
            starts_on=datetime.date(2022, 6, 27),
            ends_on=datetime.date(2022, 6, 28),
        ),
        holder=Enrolment.objects.get(pk=holder.pk),
        graduate=Enrolment.objects.get(pk=graduate.pk),
        dropout=Enrolment.objects.get(pk=dropout.pk),
        certificate=certificate,
        promoter=promoter,
        meeting=record_meeting(promoter, user=admin_user, date=JUNE_2023),
        centre=centre,
        visit=centre_visit_record(
            user=admin_user,
            centre=centre,
            date=datetime.date(2023, 6, 3),
            visitors={"women": 4, "men": 6},
        ),
    )
