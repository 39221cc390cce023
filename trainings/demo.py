"""Demo trainings from the ILO outcome report (DESIGN §1).

The June 2022 Training of Trainers on basic social protection: 26 people, 11 women
and 15 men, from LSSO, government and civil society; the Master's programme followed
by three officials at Mahidol University (Thailand), supported by the ILO; two
village sessions in the south led by ToT graduates; what the ToT graduates said at
their 3- and 6-month follow-ups; and, as clearly marked demo history, one 2019
training known only as totals by gender.
"""

import datetime

from django.contrib.auth import get_user_model

from people.models import Gender, Organisation, Person
from people.services import organisation_get_or_create, person_create
from places.countries import Country
from places.models import District
from places.services import village_get_or_create

from .models import Course, Enrolment, Session, StudyStatus, TraineeFollowUp
from .services import (
    attendance_record_day,
    course_qualifies_for_set,
    enrolment_add,
    enrolment_update,
    historical_training_record,
    session_complete,
    session_create,
    study_records_save,
    trainee_follow_up_record,
)

WOMEN = [
    ("ນາງ ບົວພັນ ສີສຸກ", "Bouaphanh Sisouk"),
    ("ນາງ ມະນີວອນ ພົມມະຈັນ", "Manivone Phommachanh"),
    ("ນາງ ຄຳພອນ ແກ້ວວົງສາ", "Khamphone Keovongsa"),
    ("ນາງ ວຽງຄຳ ສຸລິຍະວົງ", "Viengkham Souliyavong"),
    ("ນາງ ດາລາວອນ ອິນທະວົງ", "Dalavone Inthavong"),
    ("ນາງ ສຸດາລັດ ພົມມະວົງ", "Soudalath Phommavong"),
    ("ນາງ ພອນສະຫວັນ ຈັນທະລາ", "Phonsavanh Chanthala"),
    ("ນາງ ນ້ອຍ ແສງອາລຸນ", "Noy Sengaloun"),
    ("ນາງ ອາລຸນີ ສີຫາລາດ", "Alouny Sihalath"),
    ("ນາງ ແສງເດືອນ ວົງສະຫວັນ", "Sengdeuane Vongsavanh"),
    ("ນາງ ຈັນທະວີ ບຸນມີ", "Chanthavy Bounmy"),
]
MEN = [
    ("ທ້າວ ສົມພອນ ແກ້ວມະນີ", "Somphone Keomany"),
    ("ທ້າວ ບຸນມີ ພົມວິຫານ", "Bounmy Phomvihan"),
    ("ທ້າວ ຄຳແພງ ສີປະເສີດ", "Khamphaeng Siprasert"),
    ("ທ້າວ ສີສະຫວາດ ອຸດົມ", "Sisavath Oudom"),
    ("ທ້າວ ວິໄລ ສຸວັນນະລາດ", "Vilay Souvannarath"),
    ("ທ້າວ ພູວົງ ຈັນທະວົງ", "Phouvong Chanthavong"),
    ("ທ້າວ ທອງສະໄໝ ແສງສຸລິຍາ", "Thongsamay Sengsouliya"),
    ("ທ້າວ ເພັດ ສີລາວົງ", "Phet Silavong"),
    ("ທ້າວ ອານຸສອນ ພັນທະວົງ", "Anousone Phanthavong"),
    ("ທ້າວ ສຸລິຍາ ບຸບຜາ", "Souliya Bouppha"),
    ("ທ້າວ ຄຳສີ ວົງພະຈັນ", "Khamsy Vongphachanh"),
    ("ທ້າວ ບຸນທະວີ ສີສຸວັນ", "Bounthavy Sisouvanh"),
    ("ທ້າວ ໄຊຍະສິດ ລາດສະວົງ", "Xayasith Lasavong"),
    ("ທ້າວ ວັນໄຊ ພົມມະສອນ", "Vanxay Phommasone"),
    ("ທ້າວ ສົມຊາຍ ອິນທະລັກ", "Somxay Inthalak"),
]
VILLAGERS = [
    ("ນາງ ແພງ", Gender.WOMAN),
    ("ນາງ ຄຳ", Gender.WOMAN),
    ("ນາງ ບົວ", Gender.WOMAN),
    ("ນາງ ດາ", Gender.WOMAN),
    ("ນາງ ມອນ", Gender.WOMAN),
    ("ທ້າວ ແກ້ວ", Gender.MAN),
    ("ທ້າວ ສີ", Gender.MAN),
    ("ທ້າວ ຈັນ", Gender.MAN),
    ("ທ້າວ ບຸນ", Gender.MAN),
    ("ທ້າວ ທອງ", Gender.MAN),
    ("ທ້າວ ຫຼ້າ", Gender.MAN),
    ("ທ້າວ ວັນ", Gender.MAN),
]
TOT_TITLE_EN = "Training of Trainers on basic social protection"
FARM_WORKERS_TITLE_EN = "Social security for farm workers"
MASTERS_TITLE_EN = (
    "Master's degree in Social Health Protection and primary health care management"
)


def _organisation(name: str, kind: str) -> Organisation:
    return organisation_get_or_create(name=name, kind=kind)


def _person(full_name: str, gender: str, **fields) -> Person:
    existing = Person.objects.filter(full_name=full_name).first()
    return existing or person_create(full_name=full_name, gender=gender, **fields)


def _attend_all_days(session: Session, late: set[int] = frozenset()) -> None:
    enrolments = list(session.enrolments.filter(role=Enrolment.Role.PARTICIPANT))
    for number, day in enumerate(session.days.all()):
        attendance_record_day(
            day=day,
            statuses={
                e.pk: "late" if (number, index) in late else "present"
                for index, e in enumerate(enrolments)
            },
        )


def trainings_demo_seed() -> None:
    if Course.objects.filter(title_en=TOT_TITLE_EN).exists():
        _trainer_roster()
        return
    users = {u.username: u for u in get_user_model().objects.all()}
    lsso = _organisation(
        "Lao Social Security Organisation (LSSO)", Organisation.Kind.LSSO
    )
    ministry = _organisation(
        "Ministry of Labour and Social Welfare", Organisation.Kind.GOVERNMENT
    )
    oxfam = _organisation("Oxfam", Organisation.Kind.CIVIL_SOCIETY)
    cso = _organisation(
        "Community Development Association", Organisation.Kind.CIVIL_SOCIETY
    )
    ilo = _organisation(
        "International Labour Organization (ILO)", Organisation.Kind.INTERNATIONAL
    )
    eu = _organisation("European Union", Organisation.Kind.INTERNATIONAL)
    trainer = _person(
        "ທ້າວ ຄຳຫຼ້າ ວົງສາ",
        Gender.MAN,
        latin_name="Khamla Vongsa",
        organisation=lsso,
        user=users.get("trainer"),
    )
    trainer2 = _person(
        "ທ້າວ ສົມໃຈ ພົມມະລາ",
        Gender.MAN,
        latin_name="Somchai Phommala",
        organisation=lsso,
        user=users.get("trainer2"),
    )
    graduates = _june_2022_tot(
        trainer,
        users.get("trainer"),
        [lsso, ministry, cso],
        partners=[ilo, oxfam],
        funders=[eu],
    )
    _masters_programme(lsso, ilo, users.get("admin"))
    _cascade_sessions(graduates, users, oxfam, trainer2)
    _tot_follow_ups(graduates, users.get("trainer"))
    _trainer_roster()
    _historical_training(users.get("admin"))


def _trainer_roster() -> None:
    """The June 2022 ToT qualifies its graduates to train farm workers: all 26 are
    on the trainer roster from 16/06/2022 (idempotent, as the service is)."""
    tot_course = Course.objects.get(title_en=TOT_TITLE_EN)
    course_qualifies_for_set(
        course=tot_course,
        courses=Course.objects.filter(title_en=FARM_WORKERS_TITLE_EN),
    )


def _historical_training(recorded_by) -> None:
    """An older training known only from a paper register: invented for the demo,
    in 2019, so it changes none of the ILO report's figures for 2022."""
    historical_training_record(
        user=recorded_by,
        course=None,
        title="ການປະຖົມນິເທດ ກ່ຽວກັບການຂຶ້ນທະບຽນປະກັນສັງຄົມ ສຳລັບນາຍຈ້າງ",
        starts_on=datetime.date(2019, 3, 12),
        ends_on=datetime.date(2019, 3, 13),
        district=District.objects.get(code="1601"),
        women=14,
        men=21,
        source="Demo history (invented): LSSO Champasak paper training register "
        "2019, page 14",
        note="Demo data: an older training kept only as totals, to show aggregate "
        "records. Not from the ILO outcome report.",
    )


def _june_2022_tot(leader, created_by, organisations, *, partners, funders):
    course = Course.objects.create(
        title_lo="ການຝຶກອົບຮົມຄູຝຶກ ດ້ານການປົກປ້ອງສັງຄົມຂັ້ນພື້ນຖານ",
        title_en=TOT_TITLE_EN,
        kind=Course.Kind.TOT,
        objectives="Explain social protection floors, the NSSF schemes and how to "
        "register; prepare participants to train others.",
        min_attendance_percent=80,
        min_post_score=50,
    )
    session = session_create(
        course=course,
        starts_on=datetime.date(2022, 6, 14),
        ends_on=datetime.date(2022, 6, 16),
        venue="ອປສ, ນະຄອນຫຼວງວຽງຈັນ",
        district=District.objects.get(code="0101"),
        status=Session.Status.ONGOING,
        capacity=30,
        partners=partners,
        funders=funders,
        led_by=[leader],
        created_by=created_by,
    )
    enrolment_add(session=session, person=leader, role=Enrolment.Role.TRAINER)
    people = [
        _person(
            name,
            gender,
            latin_name=latin,
            organisation=organisations[index % 3],
            birth_year=1975 + index,
        )
        for index, (name, latin, gender) in enumerate(
            [(n, latin, Gender.WOMAN) for n, latin in WOMEN]
            + [(n, latin, Gender.MAN) for n, latin in MEN]
        )
    ]
    for index, person in enumerate(people):
        enrolment, _created = enrolment_add(session=session, person=person)
        enrolment_update(
            enrolment=enrolment, pre_score=40 + index % 20, post_score=70 + index % 25
        )
    _attend_all_days(session, late={(0, 3), (1, 7), (2, 20)})
    session_complete(session=session, today=datetime.date(2022, 6, 17))
    return people


def _masters_programme(lsso, ilo, created_by) -> None:
    """The Master's at Mahidol University (Thailand): abroad, so no Lao district;
    the ILO supported it with lectures and international experts. The report gives
    no dates; the demo's are those of a two-year programme ending before it."""
    course = Course.objects.create(
        title_lo="ປະລິນຍາໂທ ດ້ານການປົກປ້ອງສຸຂະພາບທາງສັງຄົມ ແລະ ການຄຸ້ມຄອງສາທາລະນະສຸກຂັ້ນພື້ນຖານ",
        title_en=MASTERS_TITLE_EN,
        kind=Course.Kind.LONG_PROGRAMME,
        objectives="Long-term capacity building of LSSO staff in social health "
        "protection and primary health care management. The ILO gives lectures "
        "in the programme and brings in international experts.",
        min_attendance_percent=0,
    )
    session = session_create(
        course=course,
        starts_on=datetime.date(2021, 9, 1),
        ends_on=datetime.date(2023, 8, 31),
        institution="Mahidol University",
        country=Country.TH,
        expected_end_on=datetime.date(2023, 8, 31),
        funders=[ilo],
        created_by=created_by,
    )
    officials = [
        ("ນາງ ສຸພາພອນ ໄຊຍະວົງ", "Souphaphone Xayavong", Gender.WOMAN),
        ("ທ້າວ ວິລະສັກ ຈັນທະລັງສີ", "Virasack Chanthalangsy", Gender.MAN),
        ("ທ້າວ ພອນໄຊ ສີວົງໄຊ", "Phonexay Sivongxay", Gender.MAN),
    ]
    for name, latin, gender in officials:
        enrolment_add(
            session=session,
            person=_person(name, gender, latin_name=latin, organisation=lsso),
        )
    session_complete(session=session, today=datetime.date(2023, 9, 1))
    study_records_save(
        session=session,
        records={
            enrolment.pk: {
                "study_status": StudyStatus.GRADUATED,
                "study_ended_on": datetime.date(2023, 8, 31),
                "returned_on": datetime.date(2023, 9, 4),
                "return_position": "ວິຊາການ, ອົງການປະກັນສັງຄົມແຫ່ງຊາດ",
            }
            for enrolment in session.enrolments.all()
        },
    )


def _cascade_sessions(graduates, users, oxfam, trainer2) -> None:
    course = Course.objects.create(
        title_lo="ການປະກັນສັງຄົມ ສຳລັບຜູ້ອອກແຮງງານກະສິກຳ",
        title_en=FARM_WORKERS_TITLE_EN,
        kind=Course.Kind.SHORT_COURSE,
        min_attendance_percent=100,
    )
    for district_code, village_name, day, leaders, created_by, start in (
        (
            "1604",
            "ບ້ານ ໜອງຫຼວງ",
            datetime.date(2022, 8, 20),
            graduates[0:2],
            users.get("trainer"),
            0,
        ),
        (
            "1407",
            "ບ້ານ ຫ້ວຍຫີນ",
            datetime.date(2022, 9, 10),
            [graduates[12], trainer2],
            users.get("trainer2"),
            6,
        ),
    ):
        district = District.objects.get(code=district_code)
        village = village_get_or_create(district=district, name_lo=village_name)
        session = session_create(
            course=course,
            starts_on=day,
            ends_on=day,
            venue=village_name,
            district=district,
            village=village,
            partners=[oxfam],
            led_by=leaders,
            created_by=created_by,
        )
        for offset, (name, gender) in enumerate(
            VILLAGERS[start : start + 6] + VILLAGERS[:3]
        ):
            person = _person(
                f"{name} {village_name.split()[-1]} {offset + 1}",
                gender,
                village=village,
            )
            enrolment_add(session=session, person=person)
        _attend_all_days(session)
        session_complete(session=session, today=day + datetime.timedelta(days=1))


# The ToT graduates' follow-ups, by their name in Latin letters: the trainer phoned
# them. Those who led the two village sessions report the 9 people each trained; the
# promoters among them had met their village committees by the sixth month.
FOLLOW_UP_UNREACHABLE = {
    3: {"Noy Sengaloun", "Vilay Souvannarath", "Somxay Inthalak", "Souliya Bouppha"},
    6: {"Noy Sengaloun", "Vilay Souvannarath", "Anousone Phanthavong"},
}
FOLLOW_UP_TRAINERS = {
    "Bouaphanh Sisouk": 9,
    "Manivone Phommachanh": 9,
    "Bounmy Phomvihan": 9,
}
FOLLOW_UP_PROMOTERS = {
    "Bouaphanh Sisouk",
    "Bounmy Phomvihan",
    "Khamphaeng Siprasert",
    "Phet Silavong",
}
FOLLOW_UP_DID_NOT_USE = {"Thongsamay Sengsouliya", "Xayasith Lasavong"}
FOLLOW_UP_COMMENTS = {
    "used": "ໄດ້ອະທິບາຍເລື່ອງການປະກັນສັງຄົມ ໃຫ້ເພື່ອນຮ່ວມງານ ແລະ ຄອບຄົວຟັງ",
    "trained": "ໄດ້ຈັດຊຸດຝຶກອົບຮົມໃຫ້ຊາວກະສິກອນໃນບ້ານ ຮ່ວມກັບອົງການອັອກແຟມ",
    "promoter": "ໄດ້ປະຊຸມກັບຄະນະບ້ານ ເພື່ອກະກຽມກອງປະຊຸມເຜີຍແຜ່",
    "not_used": "ຍັງບໍ່ທັນມີໂອກາດນຳໃຊ້ ເພາະວຽກປະຈຳບໍ່ກ່ຽວຂ້ອງ",
    "unreachable": "ໂທຫາສອງຄັ້ງ ແຕ່ບໍ່ມີຄົນຮັບສາຍ",
}


def _follow_up_answers(latin: str, months: int, index: int) -> dict:
    if latin in FOLLOW_UP_UNREACHABLE[months]:
        return {
            "status": TraineeFollowUp.Status.UNREACHABLE,
            "comment": FOLLOW_UP_COMMENTS["unreachable"],
        }
    promoter = latin in FOLLOW_UP_PROMOTERS and months == 6
    answers = {
        "status": TraineeFollowUp.Status.DONE,
        "used_learning": TraineeFollowUp.Use.YES,
        "people_trained": FOLLOW_UP_TRAINERS.get(latin, 0),
        "meetings_led": 1 if promoter else 0,
        "people_registered": 0,
        "comment": FOLLOW_UP_COMMENTS["used"],
    }
    if latin in FOLLOW_UP_TRAINERS:
        answers["comment"] = FOLLOW_UP_COMMENTS["trained"]
    elif promoter:
        answers["comment"] = FOLLOW_UP_COMMENTS["promoter"]
    elif latin in FOLLOW_UP_DID_NOT_USE:
        answers["used_learning"] = TraineeFollowUp.Use.NO
        answers["comment"] = FOLLOW_UP_COMMENTS["not_used"]
    elif index % 4 == 3:
        answers["used_learning"] = TraineeFollowUp.Use.PARTLY
    return answers


def _tot_follow_ups(graduates, recorded_by) -> None:
    """Every graduate's two follow-ups (made when the ToT was completed), recorded
    a week after they were due."""
    follow_ups = TraineeFollowUp.objects.filter(
        enrolment__person__in=graduates,
        enrolment__session__course__title_en=TOT_TITLE_EN,
    ).select_related("enrolment__person", "enrolment__session")
    order = {person.pk: index for index, person in enumerate(graduates)}
    for follow_up in follow_ups:
        person = follow_up.enrolment.person
        trainee_follow_up_record(
            follow_up=follow_up,
            by=recorded_by,
            today=follow_up.due_on + datetime.timedelta(days=7),
            **_follow_up_answers(person.latin_name, follow_up.months, order[person.pk]),
        )
