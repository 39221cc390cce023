"""Cached figures (issue 20, item 1): every write to the reports' data gives it a
new version in the same transaction, a figure is kept under the version, the
filters and the scope, and a task recomputes the common views after the commit.
A figure read after a write is never the one computed before it."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from people.models import Gender
from people.services import person_update
from reports import selectors
from reports.facts import facts_version, facts_version_bump
from reports.figures import figure_key
from reports.filters import ReportFilters, scoped
from reports.warming import common_filters, figures_warm
from tests.factories import (
    CourseFactory,
    DistrictOfficeFactory,
    PersonFactory,
    SessionFactory,
    enrol,
    mark_completed,
)
from trainings.models import Attendance, Enrolment, Session
from trainings.services import (
    attendance_record_day,
    enrolment_update,
    session_complete,
    session_update,
)

pytestmark = pytest.mark.django_db

EVERYTHING = ReportFilters()
ONE_DAY = datetime.timedelta(days=1)


def version_now() -> str:
    """The version, after a figure was computed under it: a write in the same
    transaction (a test's) then gives a new one, as it would after a reader's."""
    selectors.trained_total(EVERYTHING)
    return facts_version()


def facts_read(queries) -> list[str]:
    """The queries that counted from the facts (the meetings ToT graduates led are
    read live: not the facts' data)."""
    return [
        q["sql"]
        for q in queries
        if ("reports_trainedfact" in q["sql"] or "reports_certificatefact" in q["sql"])
        and "ORDER BY" not in q["sql"]
    ]


def test_a_second_view_reads_the_figures_from_the_cache(story):
    selectors.trained_total(EVERYTHING)
    selectors.trained_by(EVERYTHING, by="province")
    selectors.tot_summary(EVERYTHING)
    selectors.certificate_summary(EVERYTHING)

    with CaptureQueriesContext(connection) as queries:
        total = selectors.trained_total(EVERYTHING)
        by_province = selectors.trained_by(EVERYTHING, by="province")
        tot = selectors.tot_summary(EVERYTHING)
        selectors.certificate_summary(EVERYTHING)

    assert facts_read(queries) == []
    assert total.total == 7
    assert sum(row.counts.total for row in by_province) == 9  # two in both
    assert tot.graduates.total == 3


def _completed_in(session, person) -> None:
    mark_completed(enrol(session, person)[0])


@pytest.mark.parametrize(
    "write",
    [
        "enrolment completed",
        "enrolment withdrawn",
        "enrolment deleted",
        "attendance and session completed",
        "gender changed",
        "session moved",
        "session cancelled",
        "session leaders changed",
        "certificate revoked",
    ],
)
def test_every_kind_of_write_gives_a_new_version(story, admin_user, write):
    from certificates.services import certificate_issue, certificate_revoke

    certificate = None
    if write == "certificate revoked":
        noy = Enrolment.objects.get(session=story.tot, person=story.people["noy"])
        certificate, _created = certificate_issue(enrolment=noy, by=admin_user)
    before = version_now()
    people = story.people

    if write == "enrolment completed":
        _completed_in(story.january, people["noy"])
    elif write == "enrolment withdrawn":
        dao = Enrolment.objects.get(session=story.august, person=people["dao"])
        enrolment_update(enrolment=dao, status=Enrolment.Status.WITHDRAWN)
    elif write == "enrolment deleted":
        # Its fact goes with it (a cascade): the refresh finds nothing left to do.
        Enrolment.objects.get(session=story.january, person=people["bee"]).delete()
    elif write == "attendance and session completed":
        session = SessionFactory(course=CourseFactory(min_attendance_percent=50))
        present = enrol(session, PersonFactory())[0]
        for day in session.days.all():
            attendance_record_day(day=day, statuses={present.pk: "present"})
        before = version_now()
        session_complete(session=session, today=session.ends_on + ONE_DAY)
    elif write == "gender changed":
        person_update(person=people["lee"], gender=Gender.WOMAN)
    elif write == "session moved":
        Attendance.objects.filter(day__session=story.january).delete()
        session_update(session=story.january, ends_on=datetime.date(2022, 12, 31))
    elif write == "session cancelled":
        story.january.status = Session.Status.CANCELLED
        story.january.save(update_fields=["status"])
    elif write == "session leaders changed":
        story.january.led_by.add(people["noy"])
    elif write == "certificate revoked":
        certificate_revoke(certificate=certificate, reason="Wrong name", by=admin_user)

    assert facts_version() not in (None, before)


def test_an_edit_of_fields_no_figure_reads_keeps_the_version(story):
    before = facts_version()

    lee = story.people["lee"]
    lee.phone = "020 5555 0000"
    lee.save(update_fields=["phone"])

    assert facts_version() == before


@pytest.mark.parametrize("by", ["total", "province", "tot", "certificates"])
def test_a_figure_read_after_a_write_is_fresh(story, admin_user, by):
    from certificates.services import certificate_issue

    def figure():
        if by == "total":
            return selectors.trained_total(EVERYTHING).women
        if by == "province":
            rows = selectors.trained_by(EVERYTHING, by="province")
            return sum(row.counts.women for row in rows)
        if by == "tot":
            return selectors.tot_summary(EVERYTHING).reach.women
        return selectors.certificate_summary(EVERYTHING).issued.women

    cached = figure()
    assert figure() == cached  # from the cache now
    newcomer = PersonFactory(gender=Gender.WOMAN)
    if by == "certificates":
        noy = Enrolment.objects.get(session=story.tot, person=story.people["noy"])
        certificate_issue(enrolment=noy, by=admin_user)
    else:
        _completed_in(story.august, newcomer)

    assert figure() == cached + 1


def test_a_rolled_back_version_is_never_used_again(story):
    selectors.trained_total(EVERYTHING)
    before = facts_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        _completed_in(story.january, PersonFactory(gender=Gender.WOMAN))
        inside = facts_version()
        # Read (and cached) inside the transaction that is then rolled back.
        assert selectors.trained_total(EVERYTHING).women == 3
        raise RuntimeError

    assert facts_version() == before
    assert selectors.trained_total(EVERYTHING).women == 2
    _completed_in(story.august, PersonFactory(gender=Gender.WOMAN))
    assert facts_version() not in (before, inside)


def test_the_key_holds_the_filters_and_the_scope(story, make_user):
    officer = make_user("officer")
    DistrictOfficeFactory(district=story.district_b, officers=[officer])
    national = selectors.trained_total(EVERYTHING)
    for_officer = scoped(EVERYTHING, officer)

    assert figure_key("trained_total", for_officer) != figure_key(
        "trained_total", EVERYTHING
    )
    # The national figure was cached first; the officer still reads their own.
    assert selectors.trained_total(for_officer).total == 4 < national.total
    assert selectors.trained_total(EVERYTHING) == national
    in_2023 = ReportFilters(date_from=datetime.date(2023, 1, 1))
    assert figure_key("trained_total", in_2023) != figure_key(
        "trained_total", EVERYTHING
    )
    assert figure_key("trained_by", EVERYTHING, "province") != figure_key(
        "trained_by", EVERYTHING, "district"
    )


def test_a_trainers_own_sessions_are_computed_on_demand(story, make_user):
    trainer = make_user("trainer")
    filters = scoped(EVERYTHING, trainer)
    assert filters.sessions is not None

    assert figure_key("trained_total", filters) is None
    with CaptureQueriesContext(connection) as queries:
        selectors.trained_total(filters)
    assert facts_read(queries)


def test_one_warming_per_transaction_and_none_for_a_replaced_version(
    story, django_capture_on_commit_callbacks, monkeypatch, settings
):
    from reports import tasks

    settings.SUKSA_REPORTS_WARM_AFTER_WRITE = True
    version_now()
    sent = []
    monkeypatch.setattr(tasks.figures_warm, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            facts_version_bump()
            facts_version_bump()
            _completed_in(story.august, PersonFactory())

    assert sent == [facts_version()]  # one warming, for the last version
    assert tasks.figures_warm(sent[0]) > 0
    assert tasks.figures_warm("a version since replaced") == 0


def test_the_task_warms_the_common_views(
    story, django_capture_on_commit_callbacks, settings
):
    settings.SUKSA_REPORTS_WARM_AFTER_WRITE = True
    today = datetime.date(2023, 6, 1)
    views = common_filters(today)
    assert EVERYTHING in views
    assert (
        ReportFilters(
            date_from=datetime.date(2023, 1, 1), date_to=datetime.date(2023, 12, 31)
        )
        in views
    )
    assert (
        ReportFilters(
            date_from=datetime.date(2022, 1, 1), date_to=datetime.date(2022, 12, 31)
        )
        in views
    )
    assert ReportFilters(province=story.district_b.province) in views

    version_now()
    with django_capture_on_commit_callbacks(execute=True):
        _completed_in(story.august, PersonFactory())  # the task runs after commit

    with CaptureQueriesContext(connection) as queries:
        selectors.trained_total(EVERYTHING)
        for by in ("province", "year", "course_kind"):
            selectors.trained_by(EVERYTHING, by=by)
        selectors.tot_summary(EVERYTHING)
        selectors.certificate_summary(EVERYTHING)
        selectors.trained_total(ReportFilters(province=story.district_b.province))
    assert facts_read(queries) == []
    assert figures_warm(today) == len(views)


def test_a_meeting_led_by_a_graduate_is_in_the_next_tot_figure(story, admin_user):
    from reports.facts import OUTREACH, facts_versions
    from tests.factories import PromoterFactory, record_meeting

    promoter = PromoterFactory(person=story.people["noy"])
    record_meeting(promoter, user=admin_user)
    meetings = selectors.tot_summary(EVERYTHING).meetings
    assert selectors.tot_summary(EVERYTHING).meetings == meetings  # cached
    outreach = selectors.outreach_total(EVERYTHING)
    by_district = selectors.outreach_by_district(EVERYTHING)
    facts, meetings_version = facts_version(), facts_versions((OUTREACH,))

    record_meeting(
        promoter,
        user=admin_user,
        turnout={"women": 5, "men": 0},
        registrations={"women": 1, "men": 0},
    )

    assert facts_versions((OUTREACH,)) != meetings_version
    assert facts_version() == facts  # the trained figures stay cached
    after = selectors.tot_summary(EVERYTHING).meetings
    assert after.meetings == meetings.meetings + 1
    assert after.turnout.women == meetings.turnout.women + 5
    assert selectors.outreach_total(EVERYTHING).meetings == outreach.meetings + 1
    assert sum(row.meetings for row in selectors.outreach_by_district(EVERYTHING)) == (
        sum(row.meetings for row in by_district) + 1
    )


def test_without_a_worker_nothing_is_warmed(story, django_capture_on_commit_callbacks):
    version_now()
    with django_capture_on_commit_callbacks(execute=True):
        _completed_in(story.august, PersonFactory())

    with CaptureQueriesContext(connection) as queries:
        selectors.trained_total(EVERYTHING)
    assert facts_read(queries)  # computed when first viewed
