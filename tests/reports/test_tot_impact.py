"""A ToT's impact (graduates, sessions and meetings they led, people trained and
reached), per session and per cohort, always as the one cascade counts it."""

import datetime

import pytest

from people.models import Gender
from promoters.selectors import cascade_people_reached
from reports import selectors
from reports.filters import ReportFilters
from tests.factories import (
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    enrol,
    record_meeting,
)
from tests.reports.conftest import complete
from trainings.models import Session
from trainings.selectors import cascade_reach

pytestmark = pytest.mark.django_db


def _promoter_meetings(story):
    """Noy and Kham (graduates) lead meetings as promoters; one before the ToT."""
    noy = PromoterFactory(person=story.people["noy"])
    kham = PromoterFactory(person=story.people["kham"], office=noy.office)
    record_meeting(noy, date=datetime.date(2023, 3, 1), led_by=[noy, kham])
    record_meeting(
        kham,
        date=datetime.date(2023, 4, 1),
        turnout={"women": 4},
        registrations={"women": 1},
    )
    record_meeting(
        noy, date=datetime.date(2022, 5, 1), turnout={"men": 50}, registrations={}
    )
    return noy, kham


def test_session_impact_is_the_cascade_and_the_meetings_of_its_graduates(story):
    _promoter_meetings(story)

    impact = selectors.sessions_impact(sessions=[story.tot])[story.tot.pk]

    assert impact.graduates.as_dict() == {
        "total": 3,
        "women": 2,
        "men": 1,
        "other": 0,
        "not_recorded": 0,
    }
    assert impact.sessions_led == 1  # Kham led August
    assert impact.reach == cascade_reach(session=story.tot).total
    assert impact.reach.total == 3
    reached = cascade_people_reached(session=story.tot)
    # The meeting led by two graduates once, the one before the ToT not at all.
    assert impact.meetings == reached
    assert impact.meetings.meetings == 2
    assert impact.meetings.turnout.total == 18 + 4
    assert impact.meetings.registrations.total == 5 + 1
    assert impact.impact_as_dict()["people_reached"]["women"] == 14


def test_only_tot_sessions_have_an_impact(story):
    impacts = selectors.sessions_impact(sessions=[story.tot, story.august])

    assert set(impacts) == {story.tot.pk}
    assert selectors.sessions_impact(sessions=[story.january]) == {}


def test_a_tot_without_graduates_has_an_empty_impact(story):
    planned = SessionFactory(
        starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2030, 1, 2)
    )

    impact = selectors.sessions_impact(sessions=[planned])[planned.pk]

    assert impact.graduates.total == 0
    assert impact.reach.total == 0 and impact.sessions_led == 0
    assert impact.meetings.meetings == 0


def test_each_of_several_tots_matches_the_trainings_cascade(story):
    lee = story.people["lee"]
    later_tot = SessionFactory(
        starts_on=datetime.date(2024, 2, 1), ends_on=datetime.date(2024, 2, 1)
    )
    enrol(later_tot, lee)
    complete(later_tot, lee)
    zed = PersonFactory(full_name="Zed", gender=Gender.WOMAN)
    lee_session = SessionFactory(
        course=story.august.course,
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 3, 1),
        led_by=[lee],
    )
    enrol(lee_session, zed)
    complete(lee_session, zed)

    impacts = selectors.sessions_impact(sessions=[story.tot, later_tot])

    for session in (story.tot, later_tot):
        assert impacts[session.pk].reach == cascade_reach(session=session).total
    assert impacts[later_tot.pk].reach.total == 1  # Zed
    assert impacts[story.tot.pk].reach.total == 4  # Xay, Dao, Lee, then Zed


def test_impact_of_a_page_of_sessions_takes_a_fixed_number_of_queries(
    story, django_assert_num_queries
):
    first = list(Session.objects.filter(pk=story.tot.pk).select_related("course"))
    with django_assert_num_queries(6):
        selectors.sessions_impact(sessions=first)
    for _ in range(3):
        other = SessionFactory()
        enrol(other, PersonFactory())
        complete(other, *[e.person for e in other.enrolments.all()])
    page = list(Session.objects.select_related("course"))
    with django_assert_num_queries(6):
        impacts = selectors.sessions_impact(sessions=page)
    assert len(impacts) == 4


def test_the_cohort_counts_sessions_led_and_meetings_once(story):
    _promoter_meetings(story)

    summary = selectors.tot_summary(ReportFilters())

    assert summary.sessions_led == 1
    assert summary.meetings.meetings == 2
    assert summary.meetings.turnout.total == 22
    assert summary.reach == cascade_reach(session=story.tot).total
    short_courses = selectors.tot_summary(ReportFilters(course_kind="short_course"))
    assert short_courses.meetings.meetings == 0


def test_trainers_reach_is_the_cascade_of_each_person(story):
    kham, xay, dao = (story.people[name] for name in ("kham", "xay", "dao"))

    reach = selectors.trainers_reach(people=[kham.pk, xay.pk, dao.pk])

    assert reach[kham.pk] == (1, cascade_reach(person=kham).total)
    assert reach[kham.pk][1].total == 4  # Noy, Xay, Dao, Lee
    assert reach[xay.pk] == (1, cascade_reach(person=xay).total)
    assert reach[dao.pk] == (0, cascade_reach(person=dao).total)
