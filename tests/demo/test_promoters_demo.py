import datetime

import pytest
from django.contrib.auth import get_user_model

from operations.demo import demo_seed
from promoters.models import (
    CentreVisit,
    DistrictOffice,
    FollowUp,
    InformationCentre,
    Promoter,
    VillageMeeting,
)
from promoters.selectors import (
    cascade_people_reached,
    district_of_user,
    meeting_totals,
    promoter_for_user,
)
from tests.conftest import DEMO_PASSWORD
from trainings.models import Session

# Seeding the demo takes seconds: `-m "not slow"` leaves these out of a quick run.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(demo_seeded, db):
    """The demo, seeded once for the tests of tests/demo/ (see `demo_seeded`)."""


def test_demo_reproduces_the_report(demo):
    """One demo load for every check: loading it takes a while."""
    _network_in_the_south()
    _demo_pilot_registered_22_percent_of_the_turnout()
    _demo_information_centres_opened_in_may_2023_in_the_south()
    _demo_users_promoter_and_officer()
    _demo_cascade_counts_people_reached_by_tot_graduates()


def _network_in_the_south():
    users = get_user_model().objects
    paksong = DistrictOffice.objects.get(name="Paksong District Social Security Office")
    assert paksong.district.name_en == "Paksong"
    assert list(paksong.officers.all()) == [users.get(username="officer")]
    districts = set(
        Promoter.objects.values_list("office__district__name_en", flat=True)
    )
    assert {"Paksong", "Thateng", "Lao Ngam"} <= districts
    roles = set(Promoter.objects.values_list("role", flat=True))
    assert {"village_chief", "producer_group_leader"} <= roles
    tot = Session.objects.get(code="TOT-2022-001")
    graduates = Promoter.objects.filter(
        person__enrolments__session=tot, person__enrolments__status="completed"
    )
    assert graduates.count() >= 3
    assert VillageMeeting.objects.filter(partners__name="Oxfam").count() >= 4


def _demo_pilot_registered_22_percent_of_the_turnout():
    pilot = meeting_totals(
        province=DistrictOffice.objects.get(
            name="Xaythany District Social Security Office"
        ).district.province,
        date_from=datetime.date(2023, 5, 1),
        date_to=datetime.date(2023, 7, 31),
    )
    assert pilot.meetings == 3
    assert pilot.registrations.total / pilot.turnout.total == pytest.approx(0.22)


def _demo_information_centres_opened_in_may_2023_in_the_south():
    centres = InformationCentre.objects.all()
    assert centres.count() == 4
    assert {c.opened_on.strftime("%Y-%m") for c in centres} == {"2023-05"}
    assert {c.district.province.code for c in centres} <= {"14", "15", "16", "17"}
    assert {c.host_kind for c in centres} == {
        "government_office",
        "employer_association",
    }
    assert CentreVisit.objects.count() == 12


def _demo_users_promoter_and_officer():
    users = get_user_model().objects
    promoter = promoter_for_user(users.get(username="promoter"))
    assert promoter is not None and promoter.person.phone
    assert district_of_user(users.get(username="officer")).name_en == "Paksong"
    assert FollowUp.objects.filter(office__district__name_en="Paksong").exists()


def _demo_cascade_counts_people_reached_by_tot_graduates():
    reached = cascade_people_reached(session=Session.objects.get(code="TOT-2022-001"))
    # Meetings led by ToT graduates; the one co-led by two graduates counts once.
    assert reached.meetings == 5
    assert reached.turnout.total == 34 + 41 + 32 + 33 + 47


def test_demo_is_idempotent(demo):
    counts = (
        Promoter.objects.count(),
        VillageMeeting.objects.count(),
        CentreVisit.objects.count(),
        FollowUp.objects.count(),
    )
    demo_seed(password=DEMO_PASSWORD)
    assert (
        Promoter.objects.count(),
        VillageMeeting.objects.count(),
        CentreVisit.objects.count(),
        FollowUp.objects.count(),
    ) == counts
