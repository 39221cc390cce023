import datetime
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from periods.models import PeriodApproval
from periods.services import period_approve
from promoters.models import Campaign, Promoter, Topic, VillageMeeting
from promoters.services import (
    campaign_save,
    centre_visit_record,
    meeting_delete,
    meeting_mark_done,
    meeting_record,
    meeting_update,
    promoter_create,
    promoter_update,
)
from tests.factories import (
    DistrictOfficeFactory,
    OrganisationFactory,
    PersonFactory,
    PromoterFactory,
    UserFactory,
    VillageFactory,
    end_promoter,
    record_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def promoter_user(make_user):
    return make_user("promoter")


@pytest.fixture
def promoter(promoter_user):
    return PromoterFactory(
        person=PersonFactory(user=promoter_user, phone="020 5555 1234")
    )


def _record(promoter, **fields):
    values = {
        "user": promoter.person.user,
        "client_uuid": uuid.uuid4(),
        "date": datetime.date(2023, 6, 1),
        "village": promoter.village,
        "led_by": [promoter],
        "turnout": {"women": 10, "men": 8, "other": 1, "not_recorded": 2},
        "registrations": {"women": 3, "men": 2},
    }
    values.update(fields)
    return meeting_record(**values)


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_meeting_record_stores_the_meeting_with_counts_and_relations(promoter):
    topic = Topic.objects.get(code="registration")
    oxfam = OrganisationFactory(name="Oxfam")
    meeting, created = _record(
        promoter, topics=[topic], partners=[oxfam], notes="  Under the big tree "
    )
    assert created
    assert meeting.turnout.as_dict() == {
        "total": 21,
        "women": 10,
        "men": 8,
        "other": 1,
        "not_recorded": 2,
    }
    assert meeting.registrations.total == 5
    assert list(meeting.led_by.all()) == [promoter]
    assert list(meeting.topics.all()) == [topic]
    assert list(meeting.partners.all()) == [oxfam]
    assert meeting.notes == "Under the big tree"
    assert meeting.recorded_by == promoter.person.user


def test_meeting_record_twice_with_one_client_uuid_stores_one_meeting(promoter):
    client_uuid = uuid.uuid4()
    first, first_created = _record(promoter, client_uuid=client_uuid)
    second, second_created = _record(promoter, client_uuid=str(client_uuid))
    assert (first_created, second_created) == (True, False)
    assert first == second
    assert VillageMeeting.objects.count() == 1


def test_meeting_record_replay_by_another_user_is_refused(promoter, admin_user):
    client_uuid = uuid.uuid4()
    _record(promoter, client_uuid=client_uuid)
    with pytest.raises(ValidationError) as error:
        _record(promoter, client_uuid=client_uuid, user=admin_user)
    assert "client_uuid" in _messages(error.value)


def test_meeting_record_returns_the_stored_meeting_when_the_insert_races(
    promoter, monkeypatch
):
    """Both requests passed the first look-up; the unique constraint decides."""
    from promoters import services

    client_uuid = uuid.uuid4()
    stored, _ = _record(promoter, client_uuid=client_uuid)
    calls = []

    def not_yet_stored(*, user, client_uuid):
        calls.append(client_uuid)
        if len(calls) == 1:
            return None
        return VillageMeeting.objects.get(client_uuid=client_uuid)

    monkeypatch.setattr(services, "_stored_meeting", not_yet_stored)
    meeting, created = _record(promoter, client_uuid=client_uuid)
    assert (meeting, created) == (stored, False)
    assert VillageMeeting.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs concurrent writers (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_meeting_record_concurrent_double_submit_stores_one(promoter):
    client_uuid = uuid.uuid4()
    results = []

    def submit():
        try:
            results.append(_record(promoter, client_uuid=client_uuid)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert VillageMeeting.objects.filter(client_uuid=client_uuid).count() == 1


def test_registrations_cannot_exceed_turnout_per_gender(promoter):
    with pytest.raises(ValidationError) as error:
        _record(
            promoter,
            turnout={"women": 5, "men": 20},
            registrations={"women": 6, "men": 1},
        )
    assert _messages(error.value) == {
        "registrations_women": [
            "Registrations of women (6) cannot be more than the turnout of women (5)."
        ]
    }
    assert not VillageMeeting.objects.exists()


def test_counts_must_be_whole_numbers(promoter):
    with pytest.raises(ValidationError) as error:
        _record(promoter, turnout={"women": -1, "men": "two"})
    assert _messages(error.value) == {
        "turnout_women": ["Write a whole number, 0 or more."],
        "turnout_men": ["Write a whole number, 0 or more."],
    }


def test_meeting_village_must_be_in_the_district_the_promoter_serves(promoter):
    elsewhere = VillageFactory(name_en="Ban Elsewhere")
    with pytest.raises(ValidationError) as error:
        _record(promoter, village=elsewhere)
    [message] = _messages(error.value)["village"]
    assert message.startswith(f"{elsewhere.name} is not in the district")
    assert promoter.office.district.name in message


def test_meeting_cannot_be_dated_in_the_future(promoter):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        _record(promoter, date=tomorrow)
    assert _messages(error.value) == {
        "date": ["The date is in the future. Record it after it happens."]
    }


def test_meeting_needs_a_leader(promoter):
    with pytest.raises(ValidationError) as error:
        _record(promoter, led_by=[])
    assert _messages(error.value) == {
        "led_by": ["Choose the promoter who led the meeting."]
    }


def test_a_promoter_cannot_record_for_another_promoter_only(promoter):
    other = PromoterFactory(office=promoter.office)
    with pytest.raises(ValidationError) as error:
        _record(promoter, led_by=[other], village=other.village)
    assert _messages(error.value) == {
        "led_by": ["You can record meetings only for promoters you look after."]
    }


def test_an_inactive_promoter_cannot_lead_a_meeting(promoter):
    end_promoter(promoter=promoter, ended_on=datetime.date(2023, 1, 1))
    with pytest.raises(ValidationError) as error:
        _record(promoter)
    assert _messages(error.value) == {
        "led_by": [f"{promoter.person} is not an active promoter."]
    }


def test_an_officer_records_meetings_in_their_district_only(make_user, promoter):
    officer = make_user("officer")
    promoter.office.officers.add(officer)
    meeting, created = _record(promoter, user=officer)
    assert created and meeting.recorded_by == officer
    outsider = PromoterFactory()
    with pytest.raises(ValidationError) as error:
        _record(outsider, user=officer)
    assert "led_by" in _messages(error.value)


def test_meeting_in_an_approved_period_cannot_be_recorded_changed_or_deleted(
    promoter, admin_user
):
    meeting, _ = _record(promoter, date=datetime.date(2023, 6, 1))
    period_approve(
        district=promoter.office.district,
        kind=PeriodApproval.Kind.MONTH,
        year=2023,
        number=6,
        by=admin_user,
    )
    with pytest.raises(ValidationError, match="is approved"):
        _record(promoter, date=datetime.date(2023, 6, 20))
    with pytest.raises(ValidationError, match="is approved"):
        meeting_update(meeting=meeting, user=admin_user, notes="late correction")
    with pytest.raises(ValidationError, match="is approved"):
        meeting_update(
            meeting=meeting, user=admin_user, date=datetime.date(2023, 5, 20)
        )
    with pytest.raises(ValidationError, match="is approved"):
        meeting_delete(meeting=meeting, user=admin_user)
    assert VillageMeeting.objects.filter(pk=meeting.pk).exists()
    moved_in, _ = _record(promoter, date=datetime.date(2023, 7, 1))
    with pytest.raises(ValidationError, match="is approved"):
        meeting_update(
            meeting=moved_in, user=admin_user, date=datetime.date(2023, 6, 5)
        )


def test_meeting_update_applies_the_same_rules(promoter, admin_user):
    meeting, _ = _record(promoter)
    meeting_update(
        meeting=meeting,
        user=admin_user,
        turnout={"women": 4, "men": 4},
        registrations={"women": 4},
    )
    meeting.refresh_from_db()
    assert meeting.turnout.total == 8 and meeting.registrations.women == 4
    with pytest.raises(ValidationError) as error:
        meeting_update(meeting=meeting, user=admin_user, registrations={"men": 5})
    assert list(_messages(error.value)) == ["registrations_men"]


def test_meeting_update_and_delete_outside_scope_are_refused(promoter, make_user):
    meeting, _ = _record(promoter)
    officer = make_user("officer")
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, user=officer, notes="x")
    with pytest.raises(ValidationError):
        meeting_delete(meeting=meeting, user=officer)
    promoter.office.officers.add(officer)
    meeting_delete(meeting=meeting, user=officer)
    assert not VillageMeeting.objects.exists()


def test_a_person_cannot_be_an_active_promoter_twice(promoter):
    with pytest.raises(ValidationError) as error:
        PromoterFactory(person=promoter.person, office=promoter.office)
    assert _messages(error.value) == {
        "person": [
            f"{promoter.person} is already an active promoter. End that record first."
        ]
    }
    end_promoter(promoter=promoter, ended_on=datetime.date(2023, 1, 31))
    again = PromoterFactory(person=promoter.person, office=promoter.office)
    assert again.status == Promoter.Status.ACTIVE


def test_reactivating_an_old_record_is_refused_when_another_is_active(promoter):
    end_promoter(promoter=promoter, ended_on=datetime.date(2023, 1, 31))
    PromoterFactory(person=promoter.person, office=promoter.office)
    with pytest.raises(ValidationError, match="already an active promoter"):
        promoter_update(promoter=promoter, status="active", ended_on=None)


def test_promoter_village_must_be_in_the_office_district():
    office = DistrictOfficeFactory()
    with pytest.raises(ValidationError) as error:
        promoter_create(
            person=PersonFactory(),
            role=Promoter.Role.VILLAGE_CHIEF,
            office=office,
            village=VillageFactory(),
            started_on=datetime.date(2022, 1, 1),
        )
    assert list(_messages(error.value)) == ["village"]


def test_promoter_dates_are_checked(promoter):
    with pytest.raises(ValidationError) as error:
        promoter_update(promoter=promoter, ended_on=datetime.date(2023, 1, 1))
    assert _messages(error.value) == {
        "ended_on": ["An active promoter has no end date. Clear it."]
    }
    with pytest.raises(ValidationError) as error:
        end_promoter(promoter=promoter, ended_on=datetime.date(2020, 1, 1))
    assert _messages(error.value) == {
        "ended_on": ["The end date is before the start date."]
    }


def test_an_officer_manages_promoters_of_their_district_only(make_user):
    officer = make_user("officer")
    own = DistrictOfficeFactory(officers=[officer])
    other = DistrictOfficeFactory()
    created = promoter_create(
        person=PersonFactory(),
        role=Promoter.Role.PRODUCER_GROUP_LEADER,
        office=own,
        village=VillageFactory(district=own.district),
        started_on=datetime.date(2023, 1, 1),
        user=officer,
    )
    assert created.pk
    with pytest.raises(ValidationError) as error:
        promoter_create(
            person=PersonFactory(),
            role=Promoter.Role.VILLAGE_CHIEF,
            office=other,
            village=VillageFactory(district=other.district),
            started_on=datetime.date(2023, 1, 1),
            user=officer,
        )
    assert _messages(error.value) == {
        "office": ["You can manage promoters of your own district only."]
    }
    foreign = PromoterFactory(office=other)
    with pytest.raises(ValidationError):
        promoter_update(promoter=foreign, user=officer, role="other")


def test_centre_visit_record_counts_visitors_and_checks_scope(make_user, admin_user):
    from promoters.models import InformationCentre

    officer = make_user("officer")
    office = DistrictOfficeFactory(officers=[officer])
    centre = InformationCentre.objects.create(
        name="Paksong Worker Information Centre",
        host_organisation="Paksong District Labour Office",
        host_kind=InformationCentre.HostKind.GOVERNMENT_OFFICE,
        district=office.district,
    )
    topic = Topic.objects.get(code="osh")
    visit = centre_visit_record(
        user=officer,
        centre=centre,
        date=datetime.date(2023, 6, 3),
        visitors={"women": 4, "men": 6},
        topics=[topic],
    )
    assert visit.visitors.total == 10 and list(visit.topics.all()) == [topic]
    with pytest.raises(ValidationError) as error:
        centre_visit_record(
            user=officer, centre=centre, date=datetime.date(2023, 6, 3), visitors={}
        )
    assert _messages(error.value) == {"visitors_women": ["Count at least one visitor."]}
    elsewhere = InformationCentre.objects.create(
        name="Elsewhere",
        host_organisation="Chamber",
        host_kind=InformationCentre.HostKind.EMPLOYER_ASSOCIATION,
        district=DistrictOfficeFactory().district,
    )
    with pytest.raises(ValidationError) as error:
        centre_visit_record(
            user=officer,
            centre=elsewhere,
            date=datetime.date(2023, 6, 3),
            visitors={"men": 1},
        )
    assert list(_messages(error.value)) == ["centre"]


def test_record_meeting_factory_helper_uses_the_service():
    promoter = PromoterFactory()
    meeting = record_meeting(promoter, user=UserFactory(is_superuser=True))
    assert meeting.led_by.get() == promoter


# Kinds of activity, teams, plans and campaigns (issue 17) ---------------------------


def _drive(admin_user, promoter, **fields):
    values = {
        "kind": VillageMeeting.Kind.MOBILE_DRIVE,
        "led_by": [],
        "led_by_team": "LSSO mobile registration team",
        "contributions_lak": 351_000,
        "contributions_people": 3,
    }
    values.update(fields)
    return _record(promoter, user=admin_user, **values)


def test_a_drive_led_by_an_lsso_team_records_contributions(admin_user, promoter):
    meeting, created = _drive(admin_user, promoter)

    assert created
    assert meeting.kind == "mobile_drive"
    assert list(meeting.led_by.all()) == []
    assert meeting.led_by_team == "LSSO mobile registration team"
    assert (meeting.contributions_lak, meeting.contributions_people) == (351_000, 3)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"kind": "dissemination"},
            "contributions_lak",
            "Contributions are recorded only for a mobile registration and payment "
            "drive. Change the kind of activity or clear them.",
        ),
        (
            {"contributions_people": 0},
            "contributions_people",
            "Enter how many people paid this amount.",
        ),
        (
            {"contributions_lak": 0},
            "contributions_lak",
            "Enter the amount collected from these people.",
        ),
        (
            {"contributions_people": 22},
            "contributions_people",
            "22 people paid, but only 21 came. Check the numbers.",
        ),
        (
            {"contributions_lak": -5},
            "contributions_lak",
            "Write a whole number, 0 or more.",
        ),
    ],
)
def test_contributions_are_checked(admin_user, promoter, fields, field, message):
    with pytest.raises(ValidationError) as error:
        _drive(admin_user, promoter, **fields)
    assert _messages(error.value) == {field: [message]}


def test_an_activity_needs_promoters_or_a_team(admin_user, promoter):
    with pytest.raises(ValidationError) as error:
        _record(promoter, user=admin_user, led_by=[])
    assert _messages(error.value) == {
        "led_by": [
            "Choose the promoters who led the activity, or the team that led it."
        ]
    }


def test_a_district_office_may_lead_an_activity(admin_user, promoter):
    meeting, _created = _record(
        promoter, user=admin_user, led_by=[], led_by_office=promoter.office
    )
    assert meeting.led_by_office == promoter.office


def test_a_promoter_cannot_record_a_team_led_activity(promoter):
    with pytest.raises(ValidationError) as error:
        _record(promoter, led_by=[], led_by_team="LSSO team")
    assert _messages(error.value) == {
        "led_by": ["Choose the promoter who led the meeting."]
    }


def test_an_officer_records_team_activities_of_their_district_only(make_user, promoter):
    officer = make_user("officer")
    elsewhere = DistrictOfficeFactory(officers=[officer])
    with pytest.raises(ValidationError):
        _record(promoter, user=officer, led_by=[], led_by_office=elsewhere)
    promoter.office.officers.add(officer)
    meeting, _created = _record(
        promoter, user=officer, led_by=[], led_by_office=promoter.office
    )
    assert meeting.led_by_office == promoter.office


def _planned(admin_user, promoter, **fields):
    values = {
        "status": VillageMeeting.Status.PLANNED,
        "date": datetime.date.today() + datetime.timedelta(days=60),
        "turnout": None,
        "registrations": None,
    }
    values.update(fields)
    return _record(promoter, user=admin_user, **values)[0]


def test_a_planned_activity_may_lie_in_the_future_without_counts(admin_user, promoter):
    meeting = _planned(admin_user, promoter)

    assert meeting.status == "planned"
    assert meeting.turnout.total == 0


def test_a_planned_activity_carries_no_turnout(admin_user, promoter):
    with pytest.raises(ValidationError) as error:
        _planned(admin_user, promoter, turnout={"women": 3})
    assert _messages(error.value) == {
        "status": [
            "A planned activity has no turnout, registrations or contributions "
            "yet. Mark it done to record them."
        ]
    }


def test_recording_the_turnout_of_a_planned_activity_makes_it_done(
    admin_user, promoter
):
    meeting = _planned(admin_user, promoter, date=datetime.date(2023, 6, 1))

    meeting_update(meeting=meeting, user=admin_user, turnout={"women": 9, "men": 4})

    meeting.refresh_from_db()
    assert meeting.status == "done"
    assert meeting.turnout.total == 13


def test_a_planned_activity_in_the_future_cannot_be_marked_done(admin_user, promoter):
    meeting = _planned(admin_user, promoter)

    with pytest.raises(ValidationError) as error:
        meeting_mark_done(meeting=meeting, user=admin_user, turnout={"men": 5})
    assert _messages(error.value) == {
        "date": ["The date is in the future. Record it after it happens."]
    }
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_marking_a_planned_activity_done_obeys_the_period_lock(admin_user, promoter):
    meeting = _planned(admin_user, promoter, date=datetime.date(2023, 6, 1))
    period_approve(
        district=promoter.office.district,
        kind=PeriodApproval.Kind.MONTH,
        year=2023,
        number=6,
        by=admin_user,
    )

    with pytest.raises(ValidationError):
        meeting_mark_done(meeting=meeting, user=admin_user, turnout={"men": 5})
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_a_campaign_is_saved_by_a_manager_with_its_districts(make_user):
    manager = make_user("manager")
    district = DistrictOfficeFactory().district
    campaign = campaign_save(
        campaign=Campaign(
            name_lo="ທົດລອງ",
            kind="mobile_drive",
            starts_on=datetime.date(2023, 5, 1),
            ends_on=datetime.date(2023, 7, 31),
        ),
        user=manager,
        districts=[district],
    )
    assert list(campaign.districts.all()) == [district]


def test_a_campaign_ends_after_it_starts_and_officers_cannot_add_one(make_user):
    campaign = Campaign(
        name_lo="ທົດລອງ",
        starts_on=datetime.date(2023, 5, 1),
        ends_on=datetime.date(2023, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        campaign_save(campaign=campaign, user=make_user("manager"))
    assert _messages(error.value) == {
        "ends_on": ["The end date is before the start date."]
    }
    with pytest.raises(ValidationError):
        campaign_save(campaign=campaign, user=make_user("officer"))
    assert not Campaign.objects.exists()
