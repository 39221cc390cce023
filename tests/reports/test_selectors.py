import datetime

import pytest

from people.counts import GenderCounts
from reports import selectors
from reports.filters import ReportFilters, scoped
from trainings.models import Course
from trainings.selectors import cascade_reach

pytestmark = pytest.mark.django_db
YEAR_2022 = ReportFilters(
    date_from=datetime.date(2022, 1, 1), date_to=datetime.date(2022, 12, 31)
)


def counts(total, women, men, other, not_recorded):
    result = GenderCounts(women, men, other, not_recorded)
    assert result.total == total
    return result


def test_people_trained_are_distinct_people_in_four_genders(story):
    # Noy completed twice and Lee twice: each counts once.
    assert selectors.trained_total(ReportFilters()) == counts(7, 2, 2, 1, 2)


def test_periods_include_their_first_and_last_day(story):
    # The January session ends on 1 January 2023: it belongs to 2023.
    assert selectors.trained_total(YEAR_2022) == counts(6, 2, 2, 1, 1)
    only_june = ReportFilters(
        date_from=datetime.date(2022, 6, 16), date_to=datetime.date(2022, 6, 16)
    )
    assert selectors.trained_total(only_june).total == 3
    new_year = ReportFilters(
        date_from=datetime.date(2023, 1, 1), date_to=datetime.date(2023, 1, 1)
    )
    assert selectors.trained_total(new_year) == counts(2, 0, 1, 0, 1)


def test_breakdowns_count_distinct_people_per_line(story):
    by_district = {
        row.label: row.counts
        for row in selectors.trained_by(ReportFilters(), by="district")
    }
    assert by_district == {
        story.district_a.name: counts(5, 2, 2, 0, 1),
        story.district_b.name: counts(4, 1, 1, 1, 1),
    }
    by_year = {
        row.key: row.counts.total
        for row in selectors.trained_by(ReportFilters(), by="year")
    }
    assert by_year == {2022: 6, 2023: 2}
    by_kind = [
        (row.key, row.counts.total)
        for row in selectors.trained_by(ReportFilters(), by="course_kind")
    ]
    assert by_kind == [(Course.Kind.TOT, 3), (Course.Kind.SHORT_COURSE, 5)]
    by_quarter = [row.label for row in selectors.trained_by(YEAR_2022, by="quarter")]
    assert by_quarter == ["Q2 2022", "Q3 2022"]


def test_filters_by_place_course_and_organisation(story):
    province = story.district_b.province
    assert selectors.trained_total(ReportFilters(province=province)).total == 4
    assert selectors.trained_total(ReportFilters(district=story.district_a)).total == 5
    assert selectors.trained_total(ReportFilters(course=story.tot.course)).total == 3
    assert (
        selectors.trained_total(ReportFilters(organisation_kind="government")).total
        == 2
    )


def test_tot_cascade_counts_each_person_once(story):
    summary = selectors.tot_summary(ReportFilters())

    assert summary.sessions == 1
    assert summary.graduates == counts(3, 2, 1, 0, 0)
    # Kham led August: Xay, Dao, Lee (Noy was already a graduate). Xay is no ToT
    # graduate, so January (led by Xay) is not in the cascade.
    assert summary.reach == counts(3, 0, 1, 1, 1)
    assert summary.reach == cascade_reach(session=story.tot).total
    assert (
        selectors.tot_summary(ReportFilters(course_kind="short_course")).sessions == 0
    )


def test_a_trainer_sees_only_their_sessions(story, make_user):
    trainer = make_user("trainer")
    story.august.created_by = trainer
    story.august.save()

    filters = scoped(ReportFilters(), trainer)

    assert selectors.trained_total(filters) == counts(4, 1, 1, 1, 1)
    assert selectors.tot_summary(filters).sessions == 0


def test_roles_without_reports_see_nothing(story, make_user):
    for username in ("promoter", "editor"):
        filters = scoped(ReportFilters(), make_user(username))
        assert selectors.trained_total(filters).total == 0
        assert selectors.trained_by(filters, by="district") == []


def test_deeper_cascade_matches_the_trainings_definition(story):
    from people.models import Gender
    from tests.factories import PersonFactory, SessionFactory, enrol
    from tests.reports.conftest import complete

    lee, kham = story.people["lee"], story.people["kham"]
    # Lee (reached in generation 1) completes a ToT of 2024 and trains Zed, who
    # trains Kham back (a cycle): generation 2 is Zed, and Kham is not counted again.
    later_tot = SessionFactory(
        starts_on=datetime.date(2024, 2, 1), ends_on=datetime.date(2024, 2, 1)
    )
    enrol(later_tot, lee)
    complete(later_tot, lee)
    zed = PersonFactory(full_name="Zed", gender=Gender.WOMAN)
    short = story.august.course
    lee_session = SessionFactory(
        course=short,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 3, 1),
        led_by=[lee],
    )
    enrol(lee_session, zed)
    complete(lee_session, zed)
    zed_session = SessionFactory(
        course=short,
        starts_on=datetime.date(2024, 4, 1),
        ends_on=datetime.date(2024, 4, 1),
        led_by=[zed],
    )
    enrol(zed_session, kham)
    complete(zed_session, kham)

    june = selectors.tot_summary(
        ReportFilters(
            date_from=datetime.date(2022, 6, 1), date_to=datetime.date(2022, 6, 30)
        )
    )
    reference = cascade_reach(session=story.tot)

    assert len(reference.generations) == 2
    assert june.reach == reference.total == counts(4, 1, 1, 1, 1)
    # Both ToTs together: each person once, starting people excluded.
    both = selectors.tot_summary(ReportFilters())
    assert both.sessions == 2
    assert both.graduates.total == 4
    assert both.reach == counts(3, 1, 0, 1, 1)


def test_certificates_issued_and_revoked_in_the_period(story, admin_user):
    from django.utils import timezone

    from certificates.services import certificate_issue, certificate_revoke
    from trainings.models import Enrolment

    enrolments = Enrolment.objects.filter(
        session=story.tot, status=Enrolment.Status.COMPLETED
    ).order_by("person__full_name")
    issued = [certificate_issue(enrolment=e, by=admin_user)[0] for e in enrolments]
    certificate_revoke(certificate=issued[0], reason="Wrong name", by=admin_user)
    today = timezone.localdate()
    this_year = ReportFilters(
        date_from=today.replace(month=1, day=1), date_to=today.replace(month=12, day=31)
    )

    summary = selectors.certificate_summary(YEAR_2022)

    # Issued today for the June 2022 ToT, they count in 2022 (their issue date):
    # Kham (man), Mali and Noy (women); Kham's was revoked this year.
    assert summary.issued == counts(3, 2, 1, 0, 0)
    assert summary.revoked == 0
    assert selectors.certificate_summary(this_year).issued.total == 0
    assert selectors.certificate_summary(this_year).revoked == 1
    assert (
        selectors.certificate_summary(
            ReportFilters(district=story.district_b)
        ).issued.total
        == 0
    )


# Programmes abroad: a line of their own, in the totals, outside every province ------


@pytest.fixture
def abroad(db):
    from people.models import Gender
    from tests.factories import PersonFactory, abroad_session

    return abroad_session(
        people=[
            PersonFactory(gender=Gender.WOMAN),
            PersonFactory(gender=Gender.MAN),
            PersonFactory(gender=Gender.MAN),
        ]
    )


def test_programmes_abroad_are_a_line_of_their_own_and_in_the_totals(abroad):
    from reports.facts import facts_differences
    from tests.factories import PersonFactory, SessionFactory, enrol, mark_completed

    in_laos = SessionFactory()
    mark_completed(enrol(in_laos, PersonFactory())[0])

    [line] = selectors.trained_abroad(ReportFilters())
    assert line.label == "Abroad: Mahidol University, Thailand"
    assert line.counts == counts(3, 1, 2, 0, 0)
    assert selectors.trained_total(ReportFilters()).total == 4

    by_province = selectors.trained_by(ReportFilters(), by="province")
    assert [row.label for row in by_province][-1] == "Abroad"
    assert by_province[-1].counts == counts(3, 1, 2, 0, 0)
    by_district = {
        row.key: row for row in selectors.trained_by(ReportFilters(), by="district")
    }
    assert by_district[None].label == "Abroad"
    assert by_district[in_laos.district_id].counts.total == 1
    assert facts_differences() == []


def test_a_province_or_district_filter_leaves_programmes_abroad_out(abroad):
    from tests.factories import DistrictFactory

    district = DistrictFactory()
    for filters in (
        ReportFilters(province=district.province),
        ReportFilters(district=district),
    ):
        assert selectors.trained_abroad(filters) == []
        assert selectors.trained_total(filters).total == 0


def test_the_report_and_its_export_show_the_abroad_line(abroad):
    from reports.exports import report_rows
    from reports.report import report_build

    report = report_build(ReportFilters())

    assert "abroad" in [key for key, *_rest in report.charts()]
    assert [
        "People trained in programmes abroad",
        "Abroad: Mahidol University, Thailand",
        3,
        1,
        2,
        0,
        0,
    ] in report_rows(report)


# Partner, funder and project (issue 17): through the sessions ---------------------


def test_partner_funder_and_project_narrow_people_trained_tot_and_certificates(
    story, admin_user
):
    from certificates.services import certificate_issue
    from tests.factories import OrganisationFactory, ProjectFactory
    from trainings.models import Enrolment

    oxfam, eu = OrganisationFactory(name="Oxfam"), OrganisationFactory(name="EU")
    project = ProjectFactory(code="LAO226-EU")
    story.tot.partners.add(oxfam)
    story.tot.funders.add(eu)
    story.tot.projects.add(project)
    story.august.funders.add(oxfam)  # a funder is not a partner
    for enrolment in Enrolment.objects.filter(
        session=story.august, status=Enrolment.Status.COMPLETED
    ):
        certificate_issue(enrolment=enrolment, by=admin_user)

    for filters in (
        ReportFilters(partner=oxfam),
        ReportFilters(funder=eu),
        ReportFilters(project=project),
        ReportFilters(partner=oxfam, funder=eu, project=project),
    ):
        # The ToT only: Noy, Mali (women) and Kham (man).
        assert selectors.trained_total(filters) == counts(3, 2, 1, 0, 0)
        assert selectors.tot_summary(filters).graduates.total == 3
        assert selectors.certificate_summary(filters).issued.total == 0
    assert selectors.trained_total(ReportFilters(funder=oxfam)).total == 4
    assert selectors.certificate_summary(ReportFilters(funder=oxfam)).issued.total == 4
    assert (
        selectors.trained_total(ReportFilters(partner=oxfam, funder=oxfam)).total == 0
    )
    assert selectors.trained_total(ReportFilters(project=ProjectFactory())).total == 0


def test_the_cascade_of_a_projects_tot_counts_its_reach(story):
    from tests.factories import ProjectFactory

    project = ProjectFactory()
    story.tot.projects.add(project)

    tot = selectors.tot_summary(ReportFilters(project=project))

    assert tot.sessions == 1
    assert tot.reach == selectors.tot_summary(ReportFilters()).reach
    assert tot.reach.total > 0


# Aggregate-only records ------------------------------------------------------------


def test_aggregate_records_add_to_the_totals_by_place_period_and_course(story):
    from tests.factories import HistoricalTrainingFactory

    HistoricalTrainingFactory(
        district=story.district_a,
        course=story.tot.course,
        ends_on=datetime.date(2022, 3, 1),
        starts_on=datetime.date(2022, 2, 28),
        women=10,
        men=20,
        not_recorded=1,
    )
    HistoricalTrainingFactory(district=story.district_b)  # 2019: 12 women, 18 men

    assert selectors.aggregate_total(YEAR_2022) == counts(31, 10, 20, 0, 1)
    # The story's six named people in 2022, and the 31 of the record.
    assert selectors.trained_total(YEAR_2022) == counts(37, 12, 22, 1, 2)
    by_district = {
        row.label: row.counts for row in selectors.trained_by(YEAR_2022, by="district")
    }
    assert by_district["Paksong"].total == 3 + 31
    assert by_district["Phin"].total == 4
    by_year = {
        row.key: row.counts.total
        for row in selectors.trained_by(ReportFilters(), by="year")
    }
    assert by_year == {2019: 30, 2022: 37, 2023: 2}
    by_course = {
        row.key: row.counts.total
        for row in selectors.trained_by(YEAR_2022, by="course")
    }
    assert by_course[story.tot.course.pk] == 3 + 31
    dhis2 = selectors.trained_by_district_and_period(YEAR_2022, period="year")
    assert dhis2[(story.district_a.pk, datetime.date(2022, 1, 1))].total == 3 + 31


def test_aggregate_records_are_left_out_where_they_record_nothing(story, make_user):
    from tests.factories import HistoricalTrainingFactory

    HistoricalTrainingFactory(district=story.district_a)  # 2019, no course

    assert selectors.trained_total(ReportFilters(organisation_kind="lsso")).total == 0
    assert selectors.trained_total(ReportFilters(session=story.tot)).total == 3
    assert selectors.aggregate_total(ReportFilters(course=story.tot.course)).total == 0
    assert (
        selectors.aggregate_total(ReportFilters(district=story.district_b)).total == 0
    )
    # A trainer's report is of their own sessions: no aggregate records.
    trainer = scoped(ReportFilters(), make_user("trainer"))
    assert selectors.aggregate_total(trainer).total == 0
    # Titles without a course are in the totals, not in the lines by course.
    by_course = selectors.trained_by(ReportFilters(), by="course")
    assert [row.counts.total for row in by_course] == [5, 3]  # short course, ToT
    assert selectors.trained_total(ReportFilters()).total == 7 + 30
