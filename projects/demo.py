"""Demo projects from the ILO outcome report (DESIGN §1), linked to the demo's
activities after the other apps' demos have made them.

The report: "The ILO, with funding from the EU, supported the LSSO's pilot mobile
registration and payment service … the Paksong District Social Security Office, the
Worker Information Centres with preparation and publication of training and
advocacy materials, and the village dissemination meetings. ILO conducted a
Training of Trainers …" (outcome LAO226, SDG 8, indicator 8.2.1); Paksong is "one
of the SOLAR … Project's target areas". Oxfam's part (the meetings it coordinated)
is recorded by the promoters demo.
"""

import datetime
import uuid

from django.contrib.auth import get_user_model

from materials.models import MaterialPage
from people.models import Organisation
from places.models import District, Province
from promoters.demo import CENTRES, DEMO_NAMESPACE, MEETINGS
from promoters.models import DistrictOffice, InformationCentre, VillageMeeting
from promoters.services import links_add, meeting_update
from trainings.demo import TOT_TITLE_EN
from trainings.models import Session
from trainings.services import session_update

from .models import Figure
from .services import indicator_ensure, project_ensure

EU_PROJECT = "LAO226-EU"
SOLAR = "SOLAR"
ILO = "International Labour Organization (ILO)"
EU = "European Union"
PAKSONG_OFFICE = "Paksong District Social Security Office"
DECISION_4369 = "decision-4369-domestic-workers"


def projects_demo_seed() -> None:
    organisations = Organisation.objects.in_bulk([ILO, EU], field_name="name")
    if len(organisations) < 2:
        return
    ilo, eu = organisations[ILO], organisations[EU]
    eu_project = project_ensure(
        code=EU_PROJECT,
        title_lo="ການສະໜັບສະໜູນຂອງ ອົງການແຮງງານສາກົນ ແກ່ ອປສ ໃນການຂະຫຍາຍການປົກປ້ອງ"
        "ສັງຄົມ ດ້ວຍທຶນຂອງສະຫະພາບເອີຣົບ",
        title_en="ILO support to the LSSO in extending social protection, "
        "with funding from the European Union",
        # From the ToT (June 2022) to the planned expansion (Q1-2024).
        starts_on=datetime.date(2022, 6, 14),
        ends_on=datetime.date(2024, 3, 31),
        outcome_code="LAO226",
        tags="SDG 8, 8.2.1",
        description="The pilot mobile registration and payment service in 3 "
        "villages of Vientiane Capital (May-July 2023), the Training of Trainers "
        "(June 2022), the village dissemination meetings, the Worker Information "
        "Centres and the training and advocacy materials.",
        funders=[eu],
        partners=[ilo],
        provinces=Province.objects.filter(code__in=["01", "14", "15", "16", "17"]),
    )
    solar = project_ensure(
        code=SOLAR,
        title_lo="ການຫຼຸດຜ່ອນຄວາມສ່ຽງໃນ ສປປ ລາວ: ສົ່ງເສີມການປົກປ້ອງສັງຄົມ, ສິດ ແລະ "
        "ຜົນປະໂຫຍດດ້ານແຮງງານ ໃນຂະແໜງກາເຟ ແລະ ຊາ",
        title_en="Reducing Vulnerability in Lao PDR: Advancing Social Protection "
        "and Labour Rights and Entitlements in the Coffee and Tea Sectors",
        outcome_code="LAO226",
        tags="SDG 8",
        description="Coffee and tea areas; Paksong district is one of its target "
        "areas.",
        partners=[ilo],
        districts=District.objects.filter(code="1604"),
    )
    _link_activities(eu_project=eu_project, solar=solar, eu=eu, ilo=ilo)
    _indicators(eu_project)


def _link_activities(*, eu_project, solar, eu, ilo) -> None:
    admin = get_user_model().objects.filter(username="admin").first()
    for session in Session.objects.filter(course__title_en=TOT_TITLE_EN):
        session_update(session=session, projects=[eu_project])
    meetings = {
        meeting.client_uuid: meeting
        for meeting in VillageMeeting.objects.filter(
            client_uuid__in=[uuid.uuid5(DEMO_NAMESPACE, row[0]) for row in MEETINGS]
        )
    }
    for key, *_rest in MEETINGS:
        meeting = meetings.get(uuid.uuid5(DEMO_NAMESPACE, key))
        if meeting is None or admin is None:
            continue
        # The pilot is the EU-funded activity the report names as such.
        funders = [eu] if key.startswith("pilot-") else []
        meeting_update(
            meeting=meeting, user=admin, funders=funders, projects=[eu_project]
        )
    for centre in InformationCentre.objects.filter(name__in=[c[0] for c in CENTRES]):
        links_add(record=centre, partners=[ilo], projects=[eu_project])
    for office in DistrictOffice.objects.filter(name=PAKSONG_OFFICE):
        links_add(record=office, partners=[ilo], projects=[solar, eu_project])
    _link_material(eu_project=eu_project, ilo=ilo)


def _link_material(*, eu_project, ilo) -> None:
    """Decision No. 4369/MoLSW, published by LSSO and the ILO: a new revision of
    each language's page, so the admin's history and later revisions keep it."""
    for page in MaterialPage.objects.filter(slug=DECISION_4369, live=True):
        if page.projects.filter(pk=eu_project.pk).exists():
            continue
        page.partners = [ilo]
        page.projects = [eu_project]
        page.save_revision().publish()


def _targets(year_2023, year_2024) -> list[dict]:
    return [{"year": 2023, "value": year_2023}, {"year": 2024, "value": year_2024}]


# (code, figure, title in Lao, title in English, baseline, 2023 and 2024 targets,
# fixed filters): what the project set out to do in 2023 and in the expansion of
# Q1-2024, against the figures the reports count for its activities.
INDICATORS = [
    (
        "1.1",
        Figure.PEOPLE_TRAINED,
        "ຈຳນວນຄົນທີ່ໄດ້ຮັບການຝຶກອົບຮົມ ກ່ຽວກັບການປົກປ້ອງສັງຄົມ",
        "People trained in social protection",
        0,
        (40, 40),
        {},
    ),
    (
        "1.2",
        Figure.WOMEN_TRAINED,
        "ຈຳນວນແມ່ຍິງທີ່ໄດ້ຮັບການຝຶກອົບຮົມ",
        "Women trained",
        0,
        (20, 20),
        {},
    ),
    (
        "1.3",
        Figure.TOT_GRADUATES,
        "ຈຳນວນຄູຝຶກທີ່ສຳເລັດການຝຶກອົບຮົມຄູຝຶກ",
        "Training of Trainers graduates",
        26,
        (20, 20),
        {},
    ),
    (
        "2.1",
        Figure.MEETINGS,
        "ຈຳນວນກອງປະຊຸມເຜີຍແຜ່ ແລະ ການລົງທະບຽນເຄື່ອນທີ່ ທີ່ໄດ້ຈັດ",
        "Dissemination meetings and registration drives held",
        0,
        (10, 6),
        {},
    ),
    (
        "2.2",
        Figure.REGISTRATION_RATE,
        "ອັດຕາການລົງທະບຽນ ໃນການລົງທະບຽນ ແລະ ຈ່າຍເງິນສົມທົບເຄື່ອນທີ່ (%)",
        "Registration rate at the mobile registration and payment drives (%)",
        0,
        (20, 25),
        {"kind": "mobile_drive"},
    ),
    (
        "3.1",
        Figure.CENTRES_OPENED,
        "ຈຳນວນສູນຂໍ້ມູນຂ່າວສານແຮງງານ ທີ່ໄດ້ເປີດ",
        "Worker information centres opened",
        0,
        (4, 2),
        {},
    ),
    (
        "3.2",
        Figure.OFFICES_OPENED,
        "ຈຳນວນຫ້ອງການປະກັນສັງຄົມເມືອງ ທີ່ໄດ້ເປີດ",
        "District social security offices opened",
        0,
        (1, 1),
        {},
    ),
    (
        "3.3",
        Figure.MATERIALS_PUBLISHED,
        "ຈຳນວນເອກະສານຝຶກອົບຮົມ ແລະ ເຜີຍແຜ່ ທີ່ໄດ້ພິມຈຳໜ່າຍ",
        "Training and advocacy materials published",
        0,
        (1, 2),
        {},
    ),
]


def _indicators(project) -> None:
    for code, figure, title_lo, title_en, baseline, targets, fixed in INDICATORS:
        indicator_ensure(
            project=project,
            code=code,
            figure=figure,
            title_lo=title_lo,
            title_en=title_en,
            baseline=baseline,
            targets=_targets(*targets),
            **fixed,
        )
