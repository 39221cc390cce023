"""Demo promoter network from the ILO outcome report (DESIGN §1).

The Paksong District Social Security Office and promoters in Paksong, Thateng and
Lao Ngam (village chiefs and producer-group leaders, several of them graduates of the
June 2022 Training of Trainers); village meetings with Oxfam; the Vientiane Capital
mobile registration and payment pilot (a campaign of 3 drives led by the LSSO team
with the village chiefs, May to July 2023, 22 % of the turnout registered) and its
expansion to three southern districts in Q1-2024 (planned drives, counted in no
figure); four worker information centres in the south, opened in May 2023, with
visits. Idempotent: everything is found again by name or by a fixed client ID.
"""

import datetime
import uuid

from django.contrib.auth import get_user_model

from people.models import Gender, Organisation, Person
from people.services import person_create, person_update
from places.models import District
from places.services import village_get_or_create
from trainings.selectors import trained_people

from .models import (
    Campaign,
    CentreVisit,
    DistrictOffice,
    InformationCentre,
    Promoter,
    Topic,
    VillageMeeting,
)
from .services import (
    centre_visit_record,
    follow_up_check,
    meeting_record,
    promoter_create,
)

DEMO_NAMESPACE = uuid.UUID("5b0e7a8e-4f3c-4d55-9a3e-6f7c1e2d9b40")
PROMOTER_PHONE = "020 5555 0101"

OFFICES = [
    # district code, name, opened on
    ("1604", "Paksong District Social Security Office", datetime.date(2023, 5, 2)),
    ("1504", "Thateng District Social Security Office", None),
    ("1407", "Lao Ngam District Social Security Office", None),
    ("0106", "Xaythany District Social Security Office", None),
]
VILLAGES = {
    # key: district code, name in Lao, name in English
    "nong_luang": ("1604", "ບ້ານ ໜອງຫຼວງ", "Ban Nong Luang"),
    "nong_kalong": ("1604", "ບ້ານ ໜອງກາລົງ", "Ban Nong Kalong"),
    "lak_35": ("1604", "ບ້ານ ຫຼັກ 35", "Ban Lak 35"),
    "thateng": ("1504", "ບ້ານ ທ່າແຕງ", "Ban Thateng"),
    "houay_luang": ("1504", "ບ້ານ ຫ້ວຍຫຼວງ", "Ban Houay Luang"),
    "houay_hin": ("1407", "ບ້ານ ຫ້ວຍຫີນ", "Ban Houay Hin"),
    "lao_ngam": ("1407", "ບ້ານ ເລົ່າງາມ", "Ban Lao Ngam"),
    "dongdok": ("0106", "ບ້ານ ດົງໂດກ", "Ban Dongdok"),
    "nongviengkham": ("0106", "ບ້ານ ໜອງວຽງຄຳ", "Ban Nongviengkham"),
    "thangone": ("0106", "ບ້ານ ທ່າງ່ອນ", "Ban Thangone"),
}
CHIEF = Promoter.Role.VILLAGE_CHIEF
DEPUTY = Promoter.Role.DEPUTY_VILLAGE_CHIEF
LEADER = Promoter.Role.PRODUCER_GROUP_LEADER
# ToT graduates (by their name in Latin letters) and new people; key → details.
PROMOTERS = {
    "phet": ("Phet Silavong", None, CHIEF, "nong_kalong"),
    "bouaphanh": ("Bouaphanh Sisouk", None, LEADER, "nong_luang"),
    "khamphaeng": ("Khamphaeng Siprasert", None, CHIEF, "thateng"),
    "bounmy": ("Bounmy Phomvihan", None, LEADER, "houay_hin"),
    "somsak": (
        "Somsak Keobounheuang",
        ("ທ້າວ ສົມສັກ ແກ້ວບຸນເຮືອງ", Gender.MAN),
        DEPUTY,
        "lak_35",
    ),
    "sengphet": (
        "Sengphet Vongkham",
        ("ນາງ ແສງເພັດ ວົງຄຳ", Gender.WOMAN),
        LEADER,
        "houay_luang",
    ),
    "outhai": ("Outhai Sayavong", ("ທ້າວ ອຸໄທ ໄຊຍະວົງ", Gender.MAN), DEPUTY, "lao_ngam"),
    "khamvong": (
        "Khamvong Phimmasone",
        ("ທ້າວ ຄຳວົງ ພິມມະສອນ", Gender.MAN),
        CHIEF,
        "dongdok",
    ),
    "vanh": (
        "Vanh Inthapanya",
        ("ນາງ ວັນ ອິນທະປັນຍາ", Gender.WOMAN),
        CHIEF,
        "nongviengkham",
    ),
    "bounchanh": (
        "Bounchanh Sihavong",
        ("ທ້າວ ບຸນຈັນ ສີຫາວົງ", Gender.MAN),
        CHIEF,
        "thangone",
    ),
}
OXFAM, CDA = "Oxfam", "Community Development Association"
MEETINGS = [
    # key, date, village, leaders, partners, turnout (W, M, O, NR), registered, topics
    ("nong-luang-2023-03", (2023, 3, 11), "nong_luang", ["bouaphanh"], [OXFAM],
     (18, 14, 0, 2), (3, 2, 0, 0), ["registration", "voluntary-scheme"]),
    ("nong-kalong-2023-04", (2023, 4, 8), "nong_kalong", ["phet", "bouaphanh"],
     [OXFAM], (22, 19, 0, 0), (4, 3, 0, 0), ["registration", "health-insurance"]),
    ("thateng-2023-05", (2023, 5, 13), "thateng", ["khamphaeng"], [OXFAM, CDA],
     (15, 17, 0, 0), (2, 3, 0, 0), ["voluntary-scheme", "maternity"]),
    ("houay-hin-2023-06", (2023, 6, 10), "houay_hin", ["bounmy"], [OXFAM],
     (20, 12, 1, 0), (5, 2, 0, 0), ["registration", "maternity"]),
    ("lak-35-2023-08", (2023, 8, 19), "lak_35", ["somsak"], [CDA],
     (12, 15, 0, 0), (1, 2, 0, 0), ["pension"]),
    ("houay-luang-2023-09", (2023, 9, 16), "houay_luang", ["sengphet"], [OXFAM],
     (16, 9, 0, 0), (3, 1, 0, 0), ["health-insurance"]),
    ("nong-kalong-2024-02", (2024, 2, 17), "nong_kalong", ["phet"], [OXFAM],
     (25, 21, 0, 1), (6, 4, 0, 0), ["registration", "employment-injury"]),
    # The Vientiane Capital mobile registration pilot: 33 of 150 registered (22 %).
    ("pilot-dongdok", (2023, 5, 20), "dongdok", ["khamvong"], [],
     (30, 20, 0, 0), (7, 4, 0, 0), ["registration"]),
    ("pilot-nongviengkham", (2023, 6, 17), "nongviengkham", ["vanh"], [],
     (28, 22, 0, 0), (6, 5, 0, 0), ["registration"]),
    ("pilot-thangone", (2023, 7, 15), "thangone", ["bounchanh"], [],
     (26, 24, 0, 0), (6, 5, 0, 0), ["registration"]),
]  # fmt: skip
DRIVE = VillageMeeting.Kind.MOBILE_DRIVE
LSSO_TEAM = "LSSO mobile registration and payment team"
# The pilot's drives: people who paid their first contribution there. A voluntary
# member pays 9 % of an income base of 1,300,000 kip (the 2023 minimum wage): 117,000.
MONTHLY_CONTRIBUTION = 117_000
PILOT_PAYERS = {"pilot-dongdok": 9, "pilot-nongviengkham": 10, "pilot-thangone": 8}
CAMPAIGNS = {
    # key: English name, Lao name, starts on, ends on, district codes, description
    "pilot": (
        "Mobile registration and payment pilot, Vientiane Capital 2023",
        "ການທົດລອງລົງທະບຽນ ແລະ ຈ່າຍເງິນສົມທົບແບບເຄື່ອນທີ່ ນະຄອນຫຼວງວຽງຈັນ 2023",
        datetime.date(2023, 5, 1),
        datetime.date(2023, 7, 31),
        ["0106"],
        "Three villages of Xaythany; the lessons prepare the expansion in 2024.",
    ),
    "expansion": (
        "Mobile registration and payment in three southern districts, Q1-2024",
        "ການລົງທະບຽນ ແລະ ຈ່າຍເງິນສົມທົບແບບເຄື່ອນທີ່ ໃນສາມເມືອງພາກໃຕ້ ໄຕມາດ 1/2024",
        datetime.date(2024, 1, 1),
        datetime.date(2024, 3, 31),
        ["1604", "1504", "1407"],
        "The expansion of the 2023 pilot, planned with the district offices.",
    ),
}
# The expansion's drives, planned: key, date, village (its district's office leads).
PLANNED_DRIVES = [
    ("expansion-paksong", (2024, 1, 20), "nong_luang"),
    ("expansion-thateng", (2024, 2, 10), "thateng"),
    ("expansion-lao-ngam", (2024, 3, 9), "lao_ngam"),
]
GOVERNMENT = InformationCentre.HostKind.GOVERNMENT_OFFICE
EMPLOYERS = InformationCentre.HostKind.EMPLOYER_ASSOCIATION
CENTRES = [
    ("Pakse Worker Information Centre", "Champasak Provincial Labour and Social "
     "Welfare Department", GOVERNMENT, "1601", datetime.date(2023, 5, 8)),
    ("Paksong Worker Information Centre", "Paksong District Labour and Social "
     "Welfare Office", GOVERNMENT, "1604", datetime.date(2023, 5, 9)),
    ("Salavan Worker Information Centre", "Salavan Provincial Chamber of Commerce "
     "and Industry", EMPLOYERS, "1401", datetime.date(2023, 5, 16)),
    ("Attapeu Worker Information Centre", "Attapeu Provincial Chamber of Commerce "
     "and Industry", EMPLOYERS, "1702", datetime.date(2023, 5, 23)),
]  # fmt: skip
VISITS = [
    # month, visitors (W, M, O, NR), topics
    ((2023, 6, 14), (6, 9, 0, 0), ["osh", "labour-rights"]),
    ((2023, 7, 12), (8, 7, 0, 1), ["registration", "maternity"]),
    ((2023, 9, 6), (5, 11, 0, 0), ["employment-injury", "osh"]),
]


def _counts(values: tuple) -> dict[str, int]:
    return dict(zip(("women", "men", "other", "not_recorded"), values, strict=True))


def _promoter_people(users, villages) -> dict[str, Person]:
    graduates = {
        person.latin_name: person
        for person in trained_people(
            course_kind="tot",
            date_from=datetime.date(2022, 6, 1),
            date_to=datetime.date(2022, 6, 30),
        )
    }
    people = {}
    for key, (latin, new, _role, village) in PROMOTERS.items():
        person = graduates.get(latin) or Person.objects.filter(latin_name=latin).first()
        if person is None and new is not None:
            full_name, gender = new
            person = person_create(
                full_name=full_name,
                latin_name=latin,
                gender=gender,
                village=villages[village],
            )
        if person is not None:
            people[key] = person
    promoter_user = users.get("promoter")
    phet = people.get("phet")
    if phet is not None and promoter_user is not None and phet.user_id is None:
        # The demo promoter signs in to the portal by this phone number.
        person_update(person=phet, user=promoter_user, phone=PROMOTER_PHONE)
    return people


def _villages() -> dict:
    return {
        key: village_get_or_create(
            district=District.objects.get(code=code), name_lo=name_lo, name_en=name_en
        )
        for key, (code, name_lo, name_en) in VILLAGES.items()
    }


def _offices(users) -> dict[str, DistrictOffice]:
    offices = {}
    for code, name, opened_on in OFFICES:
        office, _created = DistrictOffice.objects.get_or_create(
            name=name,
            defaults={
                "district": District.objects.get(code=code),
                "opened_on": opened_on,
            },
        )
        offices[code] = office
    if users.get("officer"):
        offices["1604"].officers.add(users["officer"])
    return offices


def _promoters(people, offices, villages) -> dict[str, Promoter]:
    promoters = {}
    for key, (_latin, _new, role, village_key) in PROMOTERS.items():
        person = people.get(key)
        if person is None:
            continue
        village = villages[village_key]
        existing = Promoter.objects.filter(
            person=person, status=Promoter.Status.ACTIVE
        ).first()
        promoters[key] = existing or promoter_create(
            person=person,
            role=role,
            office=offices[village.district.code],
            village=village,
            started_on=datetime.date(2022, 7, 1)
            if village.district.code != "0106"
            else datetime.date(2023, 4, 1),
        )
    return promoters


def _campaigns() -> dict[str, Campaign]:
    campaigns = {}
    for key, (name_en, name_lo, starts_on, ends_on, codes, about) in CAMPAIGNS.items():
        campaign = Campaign.objects.filter(name_en=name_en).first()
        if campaign is None:
            campaign = Campaign.objects.create(
                name_en=name_en,
                name_lo=name_lo,
                kind=DRIVE,
                starts_on=starts_on,
                ends_on=ends_on,
                description=about,
            )
            campaign.districts.set(District.objects.filter(code__in=codes))
        campaigns[key] = campaign
    return campaigns


def _drive(key: str, campaigns) -> dict:
    """What a pilot meeting adds: a drive led by the LSSO team, with contributions."""
    payers = PILOT_PAYERS.get(key)
    if payers is None:
        return {}
    return {
        "kind": DRIVE,
        "campaign": campaigns["pilot"],
        "led_by_team": LSSO_TEAM,
        "contributions_people": payers,
        "contributions_lak": payers * MONTHLY_CONTRIBUTION,
    }


def _planned_drives(campaigns, offices, users, villages) -> None:
    admin = users.get("admin")
    if admin is None:
        return
    for key, day, village in PLANNED_DRIVES:
        meeting_record(
            user=admin,
            client_uuid=uuid.uuid5(DEMO_NAMESPACE, key),
            date=datetime.date(*day),
            village=villages[village],
            status=VillageMeeting.Status.PLANNED,
            kind=DRIVE,
            campaign=campaigns["expansion"],
            led_by_office=offices[villages[village].district.code],
            led_by_team=LSSO_TEAM,
        )


def _meetings(promoters, users, villages, campaigns) -> None:
    topics = {topic.code: topic for topic in Topic.objects.all()}
    partners = {o.name: o for o in Organisation.objects.filter(name__in=[OXFAM, CDA])}
    admin = users.get("admin")
    for (
        key,
        day,
        village,
        leaders,
        partner_names,
        turnout,
        registered,
        codes,
    ) in MEETINGS:
        led_by = [promoters[name] for name in leaders if name in promoters]
        if not led_by or admin is None:
            continue
        meeting_record(
            user=led_by[0].person.user or admin,
            client_uuid=uuid.uuid5(DEMO_NAMESPACE, key),
            date=datetime.date(*day),
            village=villages[village],
            led_by=led_by,
            turnout=_counts(turnout),
            registrations=_counts(registered),
            topics=[topics[code] for code in codes if code in topics],
            partners=[partners[name] for name in partner_names if name in partners],
            **_drive(key, campaigns),
        )


def _centres(users) -> None:
    topics = {topic.code: topic for topic in Topic.objects.all()}
    admin = users.get("admin")
    for name, host, kind, code, opened_on in CENTRES:
        centre, _created = InformationCentre.objects.get_or_create(
            name=name,
            defaults={
                "host_organisation": host,
                "host_kind": kind,
                "district": District.objects.get(code=code),
                "opened_on": opened_on,
            },
        )
        if admin is None or CentreVisit.objects.filter(centre=centre).exists():
            continue
        for day, visitors, codes in VISITS:
            centre_visit_record(
                user=admin,
                centre=centre,
                date=datetime.date(*day),
                visitors=_counts(visitors),
                topics=[topics[c] for c in codes if c in topics],
            )


def promoters_demo_seed() -> None:
    users = {u.username: u for u in get_user_model().objects.all()}
    villages = _villages()
    offices = _offices(users)
    people = _promoter_people(users, villages)
    promoters = _promoters(people, offices, villages)
    campaigns = _campaigns()
    _meetings(promoters, users, villages, campaigns)
    _planned_drives(campaigns, offices, users, villages)
    _centres(users)
    # The Paksong officer's home page shows who to follow up.
    follow_up_check()
