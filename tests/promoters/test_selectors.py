import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promoters.models import InformationCentre, Topic
from promoters.selectors import (
    cascade_people_reached,
    centre_visit_totals,
    centre_visits_by_topic,
    coverage_by_district,
    district_coverage,
    district_of_user,
    meeting_totals,
    meeting_totals_by_campaign,
    meeting_totals_by_kind,
    meetings_visible_to,
    office_network,
    promoter_for_user,
    promoters_visible_to,
    registration_rates,
)
from promoters.services import centre_visit_record
from tests.factories import (
    CampaignFactory,
    CourseFactory,
    DistrictOfficeFactory,
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    UserFactory,
    VillageFactory,
    end_promoter,
    enrol,
    record_meeting,
)
from trainings.services import attendance_record_day, session_complete

pytestmark = pytest.mark.django_db


def _meeting(promoter, day, turnout, registrations, **fields):
    return record_meeting(
        promoter,
        date=day,
        turnout=dict(zip(("women", "men"), turnout, strict=True)),
        registrations=dict(zip(("women", "men"), registrations, strict=True)),
        **fields,
    )


def test_promoter_for_user_and_district_of_user(make_user):
    promoter_user, officer = make_user("promoter"), make_user("officer")
    promoter = PromoterFactory(person=PersonFactory(user=promoter_user))
    office = DistrictOfficeFactory(officers=[officer])
    assert promoter_for_user(promoter_user) == promoter
    assert district_of_user(promoter_user) == promoter.office.district
    assert district_of_user(officer) == office.district
    assert promoter_for_user(officer) is None
    end_promoter(promoter=promoter, ended_on=datetime.date(2023, 1, 1))
    assert promoter_for_user(promoter_user) is None


def test_a_promoter_sees_only_their_own_records(make_user, admin_user):
    user = make_user("promoter")
    mine = PromoterFactory(person=PersonFactory(user=user))
    other = PromoterFactory(office=mine.office)
    own_meeting = record_meeting(mine, user=admin_user)
    record_meeting(other, user=admin_user)
    assert list(promoters_visible_to(user)) == [mine]
    assert list(meetings_visible_to(user)) == [own_meeting]


def test_registration_rates_by_district_period_and_gender():
    paksong, thateng = PromoterFactory(), PromoterFactory()
    _meeting(paksong, datetime.date(2023, 5, 20), (30, 20), (7, 4))
    _meeting(paksong, datetime.date(2023, 5, 27), (20, 30), (4, 7))
    _meeting(paksong, datetime.date(2023, 6, 17), (10, 0), (10, 0))
    _meeting(thateng, datetime.date(2023, 5, 13), (0, 0), (0, 0))

    rows = registration_rates(period="month")

    by_key = {(r.district, r.period): r for r in rows}
    may = by_key[(paksong.office.district, datetime.date(2023, 5, 1))]
    assert may.meetings == 2
    assert may.turnout.total == 100 and may.registrations.total == 22
    assert may.rate() == pytest.approx(0.22)
    assert may.rate("women") == pytest.approx(11 / 50)
    assert may.rate("other") is None  # nobody turned out
    june = by_key[(paksong.office.district, datetime.date(2023, 6, 1))]
    assert june.rate("women") == 1.0
    empty = by_key[(thateng.office.district, datetime.date(2023, 5, 1))]
    assert empty.rate() is None
    quarter = registration_rates(period="quarter", district=paksong.office.district)
    assert [(r.period, r.registrations.total) for r in quarter] == [
        (datetime.date(2023, 4, 1), 32)
    ]


def test_registration_rates_filters_and_user_scope(make_user, admin_user):
    officer = make_user("officer")
    own, other = PromoterFactory(), PromoterFactory()
    own.office.officers.add(officer)
    _meeting(own, datetime.date(2023, 5, 20), (10, 10), (1, 1))
    _meeting(own, datetime.date(2023, 8, 20), (10, 10), (2, 2))
    _meeting(other, datetime.date(2023, 5, 20), (10, 10), (3, 3))

    scoped = meeting_totals(user=officer)
    assert scoped.registrations.total == 6
    dated = meeting_totals(
        date_from=datetime.date(2023, 5, 1), date_to=datetime.date(2023, 5, 31)
    )
    assert dated.registrations.total == 8
    by_province = meeting_totals(province=own.office.district.province)
    assert by_province.meetings == 3  # both test districts share a province


def test_report_selectors_take_a_fixed_number_of_queries():
    def build(n):
        for _ in range(n):
            promoter = PromoterFactory()
            _meeting(promoter, datetime.date(2023, 5, 20), (5, 5), (1, 1))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            registration_rates(period="month")
            coverage_by_district()
            centre_visits_by_topic()
            centre_visit_totals()
        return len(captured)

    build(2)
    few = queries()
    build(5)
    assert queries() == few


def test_coverage_is_villages_with_an_active_promoter_over_villages_known():
    office = DistrictOfficeFactory()
    first = PromoterFactory(office=office)
    PromoterFactory(office=office, village=first.village)  # same village, once
    ended = PromoterFactory(office=office)
    end_promoter(promoter=ended, ended_on=datetime.date(2023, 1, 1))
    VillageFactory(district=office.district)

    coverage = district_coverage(district=office.district)

    assert (coverage.villages_covered, coverage.villages_known) == (1, 3)
    assert coverage.rate == pytest.approx(1 / 3)
    [row] = coverage_by_district(district=office.district)
    assert row.coverage == coverage and row.promoters == 2
    # On a day before the ended promoter left, their village was covered too.
    earlier = coverage_by_district(
        district=office.district, on=datetime.date(2022, 12, 1)
    )
    assert earlier[0].coverage.villages_covered == 2


def test_coverage_of_a_district_without_known_villages_is_none():
    office = DistrictOfficeFactory()
    assert district_coverage(district=office.district).rate is None


def test_centre_visits_by_gender_and_topic(admin_user):
    office = DistrictOfficeFactory()
    centre = InformationCentre.objects.create(
        name="Pakse",
        host_organisation="Labour department",
        host_kind="government_office",
        district=office.district,
    )
    osh, rights = Topic.objects.get(code="osh"), Topic.objects.get(code="labour-rights")
    for visitors, topics in (
        ({"women": 4, "men": 6}, [osh, rights]),
        ({"women": 1, "not_recorded": 2}, [osh]),
        ({"men": 5}, []),
    ):
        centre_visit_record(
            user=admin_user,
            centre=centre,
            date=datetime.date(2023, 6, 1),
            visitors=visitors,
            topics=topics,
        )

    totals = centre_visit_totals()
    by_topic = {row.topic: row for row in centre_visits_by_topic()}

    assert totals.visits == 3 and totals.visitors.as_dict() == {
        "total": 18,
        "women": 5,
        "men": 11,
        "other": 0,
        "not_recorded": 2,
    }
    assert by_topic[osh].visits == 2 and by_topic[osh].visitors.total == 13
    assert by_topic[rights].visitors.men == 6
    assert centre_visit_totals(date_from=datetime.date(2023, 7, 1)).visitors.total == 0


def _tot_with_graduates(*people):
    session = SessionFactory(course=CourseFactory(kind="tot"))
    enrolments = enrol(session, *people)
    for day in session.days.all():
        attendance_record_day(
            day=day, statuses={enrolment.pk: "present" for enrolment in enrolments}
        )
    session_complete(session=session, today=datetime.date(2022, 6, 17))
    return session


def test_cascade_people_reached_counts_a_meeting_led_by_two_graduates_once():
    first, outsider = PromoterFactory(), PromoterFactory()
    co_leader = PromoterFactory(office=first.office)
    session = _tot_with_graduates(first.person, co_leader.person)
    _meeting(
        first,
        datetime.date(2023, 3, 1),
        (10, 8),
        (2, 1),
        led_by=[first, co_leader],
    )
    _meeting(first, datetime.date(2023, 4, 1), (5, 5), (1, 1))
    _meeting(outsider, datetime.date(2023, 4, 1), (50, 50), (0, 0))
    _meeting(first, datetime.date(2022, 6, 1), (7, 7), (0, 0))  # before the ToT

    reached = cascade_people_reached(session=session)

    assert reached.meetings == 2
    assert reached.turnout.as_dict() == {
        "total": 28,
        "women": 15,
        "men": 13,
        "other": 0,
        "not_recorded": 0,
    }
    assert reached.registrations.total == 5


# Kinds, campaigns and planned activities (issue 17) ---------------------------------


def _plan(promoter, day, **fields):
    """A planned activity led by the promoter (recorded by an administrator)."""
    return record_meeting(
        promoter,
        user=UserFactory(is_superuser=True),
        date=day,
        status="planned",
        turnout=None,
        registrations=None,
        **fields,
    )


def test_planned_activities_count_in_no_figure():
    promoter = PromoterFactory()
    session = _tot_with_graduates(promoter.person)
    _meeting(promoter, datetime.date(2023, 3, 1), (10, 8), (2, 1))
    _plan(promoter, datetime.date(2023, 4, 1))
    _plan(promoter, datetime.date.today() + datetime.timedelta(days=30))
    district = promoter.office.district

    assert meeting_totals().meetings == 1
    assert meeting_totals(district=district).turnout.total == 18
    assert [rate.meetings for rate in registration_rates(period=None)] == [1]
    assert [rate.meetings for rate in meeting_totals_by_kind()] == [1]
    assert cascade_people_reached(session=session).meetings == 1
    network = office_network(office=promoter.office)
    assert network.promoters[0].meetings == 1
    assert network.promoters[0].last_meeting_on == datetime.date(2023, 3, 1)


def test_figures_by_kind_and_campaign_with_their_filters():
    promoter = PromoterFactory()
    pilot = CampaignFactory()
    admin = UserFactory(is_superuser=True)
    _meeting(promoter, datetime.date(2023, 3, 1), (60, 40), (10, 9))
    _meeting(
        promoter,
        datetime.date(2023, 5, 20),
        (30, 20),
        (7, 4),
        user=admin,
        kind="mobile_drive",
        campaign=pilot,
        contributions_lak=1_053_000,
        contributions_people=9,
    )

    by_kind = {rate.kind: rate for rate in meeting_totals_by_kind()}
    assert by_kind["dissemination"].rate() == pytest.approx(0.19)
    assert by_kind["mobile_drive"].rate() == pytest.approx(0.22)
    assert by_kind["mobile_drive"].contributions_lak == 1_053_000
    assert by_kind["mobile_drive"].kind_label == "Mobile registration and payment drive"
    [campaign] = meeting_totals_by_campaign()
    assert (campaign.campaign, campaign.meetings) == (pilot, 1)
    assert campaign.contributions_people == 9
    assert meeting_totals(kind="mobile_drive").turnout.total == 50
    assert meeting_totals(campaign=pilot).registrations.total == 11
    assert meeting_totals(kind="workplace").meetings == 0


def test_a_planned_activity_is_not_a_promoters_last_meeting_for_follow_ups():
    from promoters.models import FollowUp
    from promoters.selectors import follow_ups_with_last_meeting

    promoter = PromoterFactory()
    FollowUp.objects.create(
        promoter=promoter,
        office=promoter.office,
        period_start=datetime.date(2023, 6, 5),
        weeks=8,
    )
    _plan(promoter, datetime.date(2023, 7, 1))

    (follow_up,) = follow_ups_with_last_meeting(FollowUp.objects.all())
    assert follow_up.latest_meeting_on is None
    _meeting(promoter, datetime.date(2023, 6, 20), (3, 2), (0, 0))
    (follow_up,) = follow_ups_with_last_meeting(FollowUp.objects.all())
    assert follow_up.latest_meeting_on == datetime.date(2023, 6, 20)
