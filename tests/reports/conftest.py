"""A small report fixture whose every number is known.

June 2022 ToT in Champasak district A: Noy (woman), Kham (man), Mali (woman) complete;
Bee (not recorded) enrols but does not complete.
August 2022 short course in Savannakhet district B, led by Kham: Noy again (a ToT
graduate trained twice), Xay (other), Dao (not recorded) and Lee (man) complete.
January 2023 short course in district A, led by Xay: Lee again and Bee complete.
"""

import datetime
from dataclasses import dataclass

import pytest

from people.models import Gender
from tests.factories import (
    CourseFactory,
    DistrictFactory,
    OrganisationFactory,
    PersonFactory,
    ProvinceFactory,
    SessionFactory,
    enrol,
    mark_completed,
)
from trainings.models import Course, Enrolment


@dataclass
class Story:
    tot: object
    august: object
    january: object
    district_a: object
    district_b: object
    people: dict


def complete(session, *people):
    for person in people:
        enrolment = Enrolment.objects.get(session=session, person=person)
        mark_completed(enrolment)


@pytest.fixture
def story(db):
    government = OrganisationFactory(name="Ministry")
    district_a = DistrictFactory(code="1604", name_en="Paksong")
    savannakhet = ProvinceFactory(code="13", iso="LA-SV", name_en="Savannakhet")
    district_b = DistrictFactory(code="1307", name_en="Phin", province=savannakhet)
    people = {
        "noy": PersonFactory(
            full_name="Noy", gender=Gender.WOMAN, organisation=government
        ),
        "kham": PersonFactory(
            full_name="Kham", gender=Gender.MAN, organisation=government
        ),
        "mali": PersonFactory(
            full_name="Mali", gender=Gender.WOMAN, phone="020 5555 1234"
        ),
        "bee": PersonFactory(full_name='=HYPERLINK("x")', gender=Gender.NOT_RECORDED),
        "xay": PersonFactory(full_name="Xay", gender=Gender.OTHER),
        "dao": PersonFactory(full_name="Dao", gender=Gender.NOT_RECORDED),
        "lee": PersonFactory(full_name="Lee", gender=Gender.MAN),
    }
    tot = SessionFactory(district=district_a)  # 14–16 June 2022, a ToT
    enrol(tot, people["noy"], people["kham"], people["mali"], people["bee"])
    complete(tot, people["noy"], people["kham"], people["mali"])
    short = CourseFactory(title_en="Farm workers", kind=Course.Kind.SHORT_COURSE)
    august = SessionFactory(
        course=short,
        district=district_b,
        starts_on=datetime.date(2022, 8, 20),
        ends_on=datetime.date(2022, 8, 20),
        led_by=[people["kham"]],
    )
    enrol(august, people["noy"], people["xay"], people["dao"], people["lee"])
    complete(august, people["noy"], people["xay"], people["dao"], people["lee"])
    january = SessionFactory(
        course=short,
        district=district_a,
        starts_on=datetime.date(2022, 12, 31),
        ends_on=datetime.date(2023, 1, 1),
        led_by=[people["xay"]],
    )
    enrol(january, people["lee"], people["bee"])
    complete(january, people["lee"], people["bee"])
    return Story(tot, august, january, district_a, district_b, people)
