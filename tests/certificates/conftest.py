import datetime

import pytest

from people.models import Gender
from tests.factories import PersonFactory, SessionFactory, enrol
from trainings.services import attendance_record_day, session_complete


def complete(session, present, absent=()):
    """Enrol people, mark `present` every day and `absent` never, complete."""
    enrolments = enrol(session, *present, *absent)
    attending = {e.pk for e in enrolments[: len(present)]}
    for day in session.days.all():
        attendance_record_day(
            day=day,
            statuses={
                e.pk: "present" if e.pk in attending else "absent" for e in enrolments
            },
        )
    session_complete(session=session, today=datetime.date(2030, 1, 1))
    return enrolments


@pytest.fixture
def graduates(make_user):
    """A ToT created by `trainer`: two women completed it, one man did not."""
    session = SessionFactory(created_by=make_user("trainer"))
    people = [
        PersonFactory(
            full_name="ນາງ ບົວພັນ ສີສຸກ",
            latin_name="Bouaphanh Sisouk",
            gender=Gender.WOMAN,
            phone="020 5551 2345",
        ),
        PersonFactory(full_name="ນາງ ມະນີວອນ ພົມມະຈັນ", gender=Gender.WOMAN),
    ]
    absent = [PersonFactory(full_name="ທ້າວ ສົມພອນ", gender=Gender.MAN)]
    enrolments = complete(session, people, absent)
    return session, enrolments
