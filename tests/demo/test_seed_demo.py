import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import DEMO_PASSWORD

# Seeding the demo takes seconds: `-m "not slow"` leaves these out of a quick run.
# The demo is seeded once for all of them (`demo_seeded`): each test starts from the
# demo loaded in an empty database, as the first `seed_demo` leaves it. The tests of
# a first load itself are in test_seed_demo_command.py.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.usefixtures("demo_seeded"),
]

DEMO_USERNAMES = {
    "admin",
    "editor",
    "trainer",
    "trainer2",
    "manager",
    "officer",
    "promoter",
}


def seed(settings, *args) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--password", DEMO_PASSWORD, *args, stdout=out)
    return out.getvalue()


def test_is_idempotent(settings):
    seed(settings)

    assert get_user_model().objects.filter(username__in=DEMO_USERNAMES).count() == 7


@pytest.mark.parametrize("username", sorted(DEMO_USERNAMES))
def test_each_demo_user_can_sign_in_to_the_admin(client, username):
    response = client.post(
        "/admin/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True
    )

    assert response.status_code == 200
    assert response.wsgi_request.user.username == username
    # A promoter's work is in the portal; the admin's dashboard sends them there.
    expected = "/lo/portal/" if username == "promoter" else "/admin/"
    assert response.redirect_chain[-1][0] == expected


def test_the_2023_pilot_campaign_and_the_planned_expansion(settings):
    """The document: the mobile registration and payment pilot in 3 villages of
    Vientiane Capital (May–July 2023) registered 22 % of the turnout; the
    expansion to three districts in Q1-2024 is planned, so no figure counts it."""
    import datetime

    from promoters.models import Campaign, VillageMeeting
    from promoters.selectors import meeting_totals, meeting_totals_by_kind

    seed(settings)  # still idempotent with campaigns and planned activities

    pilot = Campaign.objects.get(name_en__endswith="Vientiane Capital 2023")
    drives = VillageMeeting.objects.filter(campaign=pilot)
    assert drives.count() == 3
    assert {m.village.district.province.name_en for m in drives} == {
        "Vientiane Capital"
    }
    assert {(m.kind, m.status, bool(m.led_by_team)) for m in drives} == {
        ("mobile_drive", "done", True)
    }
    figures = meeting_totals(campaign=pilot)
    assert round(100 * figures.rate()) == 22
    assert figures.contributions_people == 27
    assert figures.contributions_lak == 27 * 117_000

    planned = VillageMeeting.objects.filter(status="planned")
    assert planned.count() == 3
    assert {m.village.district.name_en for m in planned} == {
        "Paksong",
        "Thateng",
        "Lao Ngam",
    }
    assert {m.date.strftime("%Y-%m") for m in planned} <= {
        "2024-01",
        "2024-02",
        "2024-03",
    }
    assert all(m.turnout.total == 0 for m in planned)
    everything = meeting_totals()
    assert (everything.meetings, everything.turnout.total) == (10, 389)
    assert round(100 * everything.rate()) == 19
    assert meeting_totals(date_from=datetime.date(2024, 1, 1)).meetings == 1
    by_kind = {rate.kind: rate.meetings for rate in meeting_totals_by_kind()}
    assert by_kind == {"dissemination": 7, "mobile_drive": 3}


def test_the_june_2022_tots_graduates_are_followed_into_the_field(settings):
    from promoters.selectors import cascade_people_reached
    from reports.selectors import sessions_impact
    from trainings.models import Session, TrainerQualification
    from trainings.selectors import cascade_reach

    seed(settings)  # the roster is not added twice
    tot = Session.objects.select_related("course").get(code="TOT-2022-001")

    impact = sessions_impact(sessions=[tot])[tot.pk]
    roster = TrainerQualification.objects.filter(session=tot)

    # The ILO report's 26 people (11 women, 15 men) all completed.
    assert (impact.graduates.total, impact.graduates.women) == (26, 11)
    assert impact.sessions_led == 2  # Paksong and Lao Ngam, with Oxfam
    assert impact.reach == cascade_reach(session=tot).total
    assert impact.reach.total > 0
    assert impact.meetings == cascade_people_reached(session=tot)
    assert impact.meetings.meetings > 0
    assert roster.count() == 26
    assert set(roster.values_list("course__title_en", flat=True)) == {
        "Social security for farm workers"
    }
    assert {row.qualified_on.isoformat() for row in roster} == {"2022-06-16"}


def test_the_masters_is_at_mahidol_university_without_a_lao_district():
    """The outcome report: 3 officials, Master's degree on Social Health Protection
    and primary health care management at Mahidol University, ILO lectures and
    international experts."""
    from reports.filters import ReportFilters
    from reports.selectors import trained_abroad
    from trainings.models import Session, StudyStatus

    masters = Session.objects.get(course__kind="long_programme")
    assert (masters.institution, masters.country, masters.district) == (
        "Mahidol University",
        "TH",
        None,
    )
    assert "Social Health Protection" in masters.course.title_en
    assert "international experts" in masters.course.objectives
    assert [funder.name for funder in masters.funders.all()] == [
        "International Labour Organization (ILO)"
    ]
    enrolments = list(masters.enrolments.all())
    assert len(enrolments) == 3
    assert {e.study_status for e in enrolments} == {StudyStatus.GRADUATED}
    assert all(e.returned_on and e.return_position for e in enrolments)
    [line] = trained_abroad(ReportFilters())
    assert line.label == "Abroad: Mahidol University, Thailand"
    assert (line.counts.total, line.counts.women, line.counts.men) == (3, 1, 2)


def test_demo_projects_and_their_filters_are_true_to_the_report():
    """Issue 17: the EU-funded LAO226 project behind the pilot and the ToT, SOLAR
    for Paksong, Oxfam's meetings a strict subset of the outreach."""
    import datetime

    from materials.models import MaterialPage
    from people.models import Organisation
    from projects.models import Project
    from promoters.models import DistrictOffice
    from reports import selectors
    from reports.filters import ReportFilters

    eu_project = Project.objects.get(code="LAO226-EU")
    solar = Project.objects.get(code="SOLAR")
    eu = Organisation.objects.get(name="European Union")
    oxfam = Organisation.objects.get(name="Oxfam")
    assert (eu_project.outcome_code, eu_project.tag_list) == (
        "LAO226",
        ["SDG 8", "8.2.1"],
    )
    assert list(eu_project.funders.all()) == [eu]
    assert [d.name_en for d in solar.districts.all()] == ["Paksong"]
    paksong = DistrictOffice.objects.get(district__code="1604")
    assert set(paksong.projects.all()) == {solar, eu_project}
    decision = MaterialPage.objects.filter(slug="decision-4369-domestic-workers")
    assert {page.projects.get() for page in decision} == {eu_project}

    everything = selectors.outreach_total(ReportFilters())
    by_oxfam = selectors.outreach_total(ReportFilters(partner=oxfam))
    assert (everything.meetings, everything.turnout.total) == (10, 389)
    assert (by_oxfam.meetings, by_oxfam.turnout.total) == (6, 212)

    # "with funding from the EU": the pilot, 22 % of the turnout registered.
    year_2023 = ReportFilters(
        date_from=datetime.date(2023, 1, 1), date_to=datetime.date(2023, 12, 31)
    )
    pilot = selectors.outreach_total(ReportFilters(funder=eu))
    assert (pilot.meetings, pilot.turnout.total) == (3, 150)
    assert round(100 * pilot.rate()) == 22
    by_project = ReportFilters(project=eu_project)
    tot = selectors.tot_summary(by_project)
    assert (tot.sessions, tot.graduates.women, tot.graduates.men) == (1, 11, 15)
    assert selectors.trained_total(by_project).total == 26
    assert selectors.outreach_total(by_project).meetings == 10
    assert (
        selectors.centre_visits_total(
            ReportFilters(project=eu_project, date_from=year_2023.date_from)
        ).visits
        == 12  # 3 days at each of the 4 centres
    )
    assert [
        c.district.code for c in selectors.coverage(ReportFilters(project=solar))
    ] == ["1604"]
    assert selectors.trained_total(ReportFilters(project=solar)).total == 0


def test_the_tot_graduates_are_followed_up_at_3_and_6_months(settings):
    from trainings.demo import TOT_TITLE_EN
    from trainings.models import TraineeFollowUp
    from trainings.selectors import trainee_follow_ups_summary

    seed(settings)

    follow_ups = TraineeFollowUp.objects.filter(
        enrolment__session__course__title_en=TOT_TITLE_EN
    )
    assert follow_ups.count() == 52  # 26 graduates, at 3 and at 6 months
    assert set(follow_ups.values_list("due_on", flat=True)) == {
        datetime.date(2022, 9, 16),
        datetime.date(2022, 12, 16),
    }
    summary = trainee_follow_ups_summary(follow_ups=follow_ups)
    assert (summary.due, summary.done, summary.unreachable) == (52, 45, 7)
    assert summary.overdue == 0
    assert summary.used_yes > summary.used_partly > summary.used_no > 0
    # The three who led the two village sessions trained 9 people each.
    assert summary.people_trained == 3 * 9 * 2
    assert summary.meetings_led == 4
    assert not follow_ups.filter(recorded_by__isnull=True).exists()
    phet = follow_ups.filter(enrolment__person__user__username="promoter")
    assert phet.count() == 2


def test_the_june_2022_tot_shows_a_learning_gain_and_feedback(settings):
    from feedback.models import Feedback
    from feedback.selectors import feedback_comments, feedback_summary
    from trainings.models import Session
    from trainings.selectors import session_learning

    seed(settings)  # idempotent: the forms are not added twice

    session = Session.objects.get(code="TOT-2022-001")
    learning = session_learning(session=session)["total"]
    forms = Feedback.objects.filter(session=session)
    summary = feedback_summary(feedback=forms)
    assert learning.scored == 26
    assert learning.gain_mean > 20
    assert learning.improved_share == 1.0
    assert summary.count == 20  # 20 of its 26 participants
    assert summary.means["relevance"] >= 4.5
    assert summary.recommend_yes > 10 * summary.recommend_no
    comments = [form.improve for form in feedback_comments(feedback=forms)]
    assert len(comments) >= 3
    assert all("\u0e80" <= comment[0] <= "\u0eff" for comment in comments)  # Lao
    assert {form.created_at.year for form in forms} == {2022}


def test_the_past_is_dated_as_it_was():
    """The 2022 ToT's certificates count in 2022, none in this year; the 2019 paper
    record adds to the totals as an aggregate and leaves 2022 as the ILO report has
    it."""
    import datetime

    from django.utils import timezone

    from reports import selectors
    from reports.filters import ReportFilters
    from trainings.models import HistoricalTraining

    def year(number: int) -> ReportFilters:
        return ReportFilters(
            date_from=datetime.date(number, 1, 1), date_to=datetime.date(number, 12, 31)
        )

    this_year = timezone.localdate().year
    issued_2022 = selectors.certificate_summary(year(2022)).issued
    # 26 graduates, a re-issue after a misspelt name, a new one for a lost copy
    assert issued_2022.total == 28
    assert (issued_2022.women, issued_2022.men) == (12, 16)
    assert selectors.certificate_summary(year(this_year)).issued.total == 0
    history = HistoricalTraining.objects.get()
    assert history.ends_on.year == 2019
    assert "Demo history" in history.source
    assert selectors.aggregate_total(year(2019)).total == 35
    assert selectors.aggregate_total(year(2022)).total == 0
    assert selectors.tot_summary(year(2022)).graduates.total == 26
