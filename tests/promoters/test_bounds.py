"""Numbers and dates without bounds (issue 14, item 4): a meeting with a turnout of
2147483648 or dated 0001-01-01 is refused with a clear message through every door
(service, API, import), and the database refuses what gets past them."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from common.sheets import rows_to_csv
from promoters.models import (
    COUNT_CEILING,
    CentreVisit,
    InformationCentre,
    VillageMeeting,
)
from promoters.services import centre_visit_record, meeting_update
from promoters.sheets import COLUMNS, spreadsheet_import
from tests.factories import (
    DistrictFactory,
    PromoterFactory,
    UserFactory,
    record_meeting,
)

pytestmark = pytest.mark.django_db

OVERFLOW = 2147483648


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True)


@pytest.fixture
def promoter():
    return PromoterFactory()


@pytest.fixture
def centre():
    return InformationCentre.objects.create(
        name="Paksong centre",
        host_organisation="LSSO",
        host_kind=InformationCentre.HostKind.GOVERNMENT_OFFICE,
        district=DistrictFactory(),
    )


def test_a_huge_turnout_is_refused_with_the_cap_in_the_message(promoter, admin):
    with pytest.raises(ValidationError) as refused:
        record_meeting(
            promoter, user=admin, turnout={"women": OVERFLOW}, registrations={}
        )

    assert "more than 5000, the most one village meeting" in str(refused.value)
    assert not VillageMeeting.objects.exists()


@override_settings(SUKSA_MAX_MEETING_TURNOUT=30)
def test_the_turnout_cap_is_a_setting_and_counts_every_gender(promoter, admin):
    record_meeting(promoter, user=admin, turnout={"women": 15, "men": 15})

    with pytest.raises(ValidationError, match="31 people is more than 30"):
        record_meeting(promoter, user=admin, turnout={"women": 15, "men": 16})


def test_an_update_cannot_raise_the_turnout_past_the_cap(promoter, admin):
    meeting = record_meeting(promoter, user=admin)

    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, user=admin, turnout={"men": OVERFLOW})


def test_a_huge_turnout_through_the_api_answers_400(client_as, promoter):
    response = client_as("admin").post(
        "/api/v1/meetings/",
        {
            "client_uuid": str(uuid.uuid4()),
            "date": "2023-06-03",
            "village": promoter.village.pk,
            "led_by": [promoter.pk],
            "turnout": {"women": OVERFLOW},
            "registrations": {},
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "the most one village meeting can have" in str(response.json())
    assert not VillageMeeting.objects.exists()


def test_a_huge_turnout_in_an_import_is_a_row_error(promoter):
    officer = UserFactory(role="District officers")
    promoter.office.officers.add(officer)
    columns = COLUMNS["meetings"]
    row = {
        "date": "2023-06-03",
        "village": promoter.village.name_lo,
        "led_by": promoter.person.full_name,
        "turnout_women": "99999999999999999999",
    }
    content = rows_to_csv(
        [[c.header for c in columns], [row.get(c.key, "") for c in columns]]
    )

    report = spreadsheet_import(
        kind="meetings",
        content=content,
        filename="m.csv",
        user=officer,
        dry_run=False,
    )

    assert [error.row for error in report.errors] == [2]
    assert not VillageMeeting.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(1974, 12, 31)])
def test_a_meeting_before_1975_is_refused(promoter, admin, day):
    with pytest.raises(ValidationError, match="check the year"):
        record_meeting(promoter, user=admin, date=day)


def test_a_centre_visit_before_1975_or_in_the_future_is_refused(centre, admin):
    for day in (datetime.date(1, 1, 1), datetime.date.today() + datetime.timedelta(2)):
        with pytest.raises(ValidationError):
            centre_visit_record(
                user=admin, centre=centre, date=day, visitors={"women": 3}
            )
    assert not CentreVisit.objects.exists()


@override_settings(SUKSA_MAX_CENTRE_VISITORS=100)
def test_centre_visitors_have_a_settable_cap(centre, admin):
    with pytest.raises(ValidationError, match="101 visitors is more than 100"):
        centre_visit_record(
            user=admin,
            centre=centre,
            date=datetime.date(2023, 6, 1),
            visitors={"women": 100, "men": 1},
        )


@pytest.mark.parametrize(
    "change",
    [
        {"turnout_women": COUNT_CEILING + 1},
        {"date": datetime.date(1, 1, 1)},
    ],
)
def test_the_database_refuses_what_gets_past_the_services(promoter, admin, change):
    meeting = record_meeting(promoter, user=admin)

    with pytest.raises(IntegrityError), transaction.atomic():
        VillageMeeting.objects.filter(pk=meeting.pk).update(**change)


def test_the_database_refuses_huge_visitor_counts(centre, admin):
    visit = centre_visit_record(
        user=admin, centre=centre, date=datetime.date(2023, 6, 1), visitors={"men": 2}
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        CentreVisit.objects.filter(pk=visit.pk).update(visitors_women=COUNT_CEILING + 1)
