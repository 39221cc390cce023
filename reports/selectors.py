"""Every number the reports show, each computed by one selector here.

The dashboard, the report pages, the exports, the DHIS2 export and the API all call
these functions with a ``ReportFilters``, so a number is the same wherever it appears.
Counts of people are of distinct people, always by the four genders and a total.

The figures read from the facts are kept in the cache under the data version
(``reports.figures.figure_cached``): recounted only after a write changed them.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractYear,
    TruncMonth,
    TruncQuarter,
    TruncYear,
)
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from feedback import selectors as feedback_selectors
from feedback.models import Feedback
from materials import selectors as materials
from people.counts import GENDER_BUCKETS, GenderCounts, genders_counted
from people.models import Organisation, Person
from places.countries import Country
from places.models import District, Province
from projects.models import Project
from promoters import selectors as promoters
from trainings import selectors as trainings
from trainings.models import (
    Course,
    Enrolment,
    HistoricalTraining,
    Session,
    TraineeFollowUp,
)

from .facts import FACTS, OUTREACH
from .figures import figure_cached
from .filters import ReportFilters
from .models import CertificateFact, TrainedFact


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: what it is about and its counts."""

    key: object
    label: str
    counts: GenderCounts


# People trained ---------------------------------------------------------------------
# Read from ``TrainedFact``: one row per participant who completed a session, with
# every column the filters and breakdowns need (``reports.facts`` keeps it true).


def _narrowed(facts: QuerySet, filters: ReportFilters) -> QuerySet:
    """Facts (trained or certificates) in the filters' places, course, organisation
    kind, partner, funder, project (the session's) and the user's scope; the
    period is each caller's."""
    conditions = {
        "province": filters.province,
        "district": filters.district,
        "course": filters.course,
        "course_kind": filters.course_kind,
        "organisation_kind": filters.organisation_kind,
    }
    facts = facts.filter(**{name: value for name, value in conditions.items() if value})
    linked = filters.linked()
    if linked is not None:
        facts = facts.filter(session__in=Session.objects.filter(linked).values("pk"))
    if filters.sessions is not None:
        facts = facts.filter(session__in=filters.sessions.values("pk"))
    if filters.session is not None:
        facts = facts.filter(session=filters.session)
    return facts


def _facts(filters: ReportFilters) -> QuerySet[TrainedFact]:
    """The completions in the filters (dates by the session's last day)."""
    if filters.sees_nothing:
        return TrainedFact.objects.none()
    period = {"ends_on__gte": filters.date_from, "ends_on__lte": filters.date_to}
    return _narrowed(
        TrainedFact.objects.filter(**{k: v for k, v in period.items() if v}), filters
    )


def _by_gender(rows, *groups: str) -> dict:
    """{key: GenderCounts} from rows of (*groups, gender, n); the key is the one
    group's value, a tuple of several, or None without groups."""
    counts: dict = {}
    buckets = {gender: bucket for bucket, gender in GENDER_BUCKETS.items()}
    for row in rows:
        key = tuple(row[group] for group in groups)
        key = key[0] if len(key) == 1 else (key or None)
        counts.setdefault(key, {})[buckets[row["gender"]]] = row["n"]
    return {key: GenderCounts(**values) for key, values in counts.items()}


def _distinct_people(facts: QuerySet[TrainedFact], *groups) -> QuerySet:
    return (
        facts.order_by()
        .values(*groups, "gender")
        .annotate(n=Count("person_id", distinct=True))
    )


def trained_total(filters: ReportFilters) -> GenderCounts:
    """Distinct people who completed a training in the filters, by gender, plus
    the people of aggregate-only records (``aggregate_total``)."""
    named = figure_cached(
        "trained_total",
        filters,
        lambda: _by_gender(_distinct_people(_facts(filters))).get(None, GenderCounts()),
    )
    return named + aggregate_total(filters)


def trained_people(filters: ReportFilters) -> QuerySet[Person]:
    """The people behind ``trained_total`` (for roles that may see them)."""
    return Person.objects.filter(
        pk__in=_facts(filters).values("person_id")
    ).select_related("organisation", "district__province")


BREAKDOWNS = {
    "province": F("province_id"),
    "district": F("district_id"),
    "course": F("course_id"),
    "course_kind": F("course_kind"),
    "organisation_kind": F("organisation_kind"),
    "month": TruncMonth("ends_on"),
    "quarter": TruncQuarter("ends_on"),
    "year": ExtractYear("ends_on"),
}


def trained_by(filters: ReportFilters, *, by: str) -> list[Row]:
    """Distinct people trained per province, district, course, course kind,
    organisation kind, month, quarter or year. A person trained in two districts
    counts once in each, so the lines may add up to more than the total."""
    named = figure_cached(
        "trained_by",
        filters,
        lambda: _by_gender(
            _distinct_people(_facts(filters).annotate(group=BREAKDOWNS[by]), "group"),
            "group",
        ),
        by,
    )
    counts = _with_aggregates(dict(named), filters, by)
    labels = _labels(by, counts.keys())
    return [Row(key, labels[key], counts[key]) for key in _ordered(by, labels)]


# Aggregate-only records ------------------------------------------------------------
# Past trainings known only as totals by gender (``trainings.HistoricalTraining``)
# add to the people trained by place, period and course. They have no names, so
# their people are added as recorded (they cannot be told apart from the named
# ones), and no organisation, partner, funder, project or session: filters on
# those, and a trainer's scope (their own sessions), leave them out.

AGGREGATE_BREAKDOWNS = {
    "province": F("district__province_id"),
    "district": F("district_id"),
    "course": F("course_id"),
    "course_kind": F("course__kind"),
    "month": TruncMonth("ends_on"),
    "quarter": TruncQuarter("ends_on"),
    "year": ExtractYear("ends_on"),
}
_SUMS = {f"sum_{bucket}": Coalesce(Sum(bucket), 0) for bucket in GENDER_BUCKETS}


def _aggregates(filters: ReportFilters) -> QuerySet[HistoricalTraining]:
    """The aggregate-only records in the filters (dates by their last day)."""
    if (
        filters.sees_nothing
        or filters.organisation_kind
        or filters.links  # partner, funder, project: records name none
        or filters.session is not None
        or filters.sessions is not None
    ):
        return HistoricalTraining.objects.none()
    conditions = {
        "ends_on__gte": filters.date_from,
        "ends_on__lte": filters.date_to,
        "district__province": filters.province,
        "district": filters.district,
        "course": filters.course,
        "course__kind": filters.course_kind,
    }
    return HistoricalTraining.objects.filter(
        **{name: value for name, value in conditions.items() if value}
    ).order_by()


def _summed(row: dict) -> GenderCounts:
    return GenderCounts(**{bucket: row[f"sum_{bucket}"] for bucket in GENDER_BUCKETS})


def aggregate_total(filters: ReportFilters) -> GenderCounts:
    """People trained according to aggregate-only records (no names), by gender."""
    return figure_cached(
        "aggregate_total",
        filters,
        lambda: _summed(_aggregates(filters).aggregate(**_SUMS)),
    )


def _aggregate_by(filters: ReportFilters, **groups) -> dict:
    """{key: GenderCounts} of the aggregate records per group (keys as in
    ``_by_gender``); records without a value for a group (no course) are left out."""
    records = _aggregates(filters).annotate(**groups)
    for name in groups:
        records = records.exclude(**{f"{name}__isnull": True})
    rows = records.values(*groups).annotate(**_SUMS)
    counts = {}
    for row in rows:
        key = tuple(row[name] for name in groups)
        counts[key[0] if len(key) == 1 else key] = _summed(row)
    return counts


def _with_aggregates(counts: dict, filters: ReportFilters, by: str) -> dict:
    if by not in AGGREGATE_BREAKDOWNS:
        return counts  # organisation kinds: aggregate records have none
    by_group = figure_cached(
        "aggregate_by",
        filters,
        lambda: _aggregate_by(filters, group=AGGREGATE_BREAKDOWNS[by]),
        by,
    )
    for key, extra in by_group.items():
        counts[key] = counts.get(key, GenderCounts()) + extra
    return counts


def _labels(by: str, keys) -> dict:
    keys = list(keys)
    if by in ("province", "district"):
        model = Province if by == "province" else District
        labels = {place.pk: place.name for place in model.objects.filter(pk__in=keys)}
        if None in keys:
            # Programmes abroad have no Lao place: a row of their own, not a province.
            labels[None] = _("Abroad")
        return labels
    if by == "course":
        return {c.pk: c.title for c in Course.objects.filter(pk__in=keys)}
    if by == "course_kind":
        return {key: str(Course.Kind(key).label) for key in keys}
    if by == "organisation_kind":
        return {
            key: str(Organisation.Kind(key).label) if key else _("No organisation")
            for key in keys
        }
    if by == "month":
        # As the periods are written (reports.scope): 02/2024, Q1 2024.
        return {key: key.strftime("%m/%Y") for key in keys}
    if by == "quarter":
        return {
            key: _("Q%(quarter)s %(year)s")
            % {"quarter": (key.month - 1) // 3 + 1, "year": key.year}
            for key in keys
        }
    return {key: str(key) for key in keys}


def _ordered(by: str, labels: dict) -> list:
    if by in ("month", "quarter", "year"):
        return sorted(labels)
    if by in ("course_kind", "organisation_kind"):
        order = [
            *(Course.Kind.values if by == "course_kind" else Organisation.Kind.values),
            None,
        ]
        return sorted(labels, key=order.index)
    return sorted(labels, key=lambda key: (key is None, labels[key]))


def trained_abroad(filters: ReportFilters) -> list[Row]:
    """People trained in programmes abroad (sessions without a Lao district), one
    line per institution and country: "Abroad: Mahidol University, Thailand". They
    are in every total; a province or district filter leaves them out."""
    counts = figure_cached("trained_abroad", filters, lambda: _abroad(filters))
    lines = [
        Row(
            key,
            _("Abroad: %(place)s")
            % {"place": ", ".join(filter(None, [key[0], str(Country(key[1]).label)]))},
            value,
        )
        for key, value in counts.items()
    ]
    return sorted(lines, key=lambda line: line.label)


# Training of Trainers and their cascade ----------------------------------------------


def _abroad(filters: ReportFilters) -> dict:
    facts = _facts(filters).filter(district__isnull=True)
    rows = _distinct_people(
        facts.annotate(
            institution=F("session__institution"), country=F("session__country")
        ),
        "institution",
        "country",
    )
    return _by_gender(rows, "institution", "country")


def _no_meetings() -> promoters.RegistrationRate:
    return promoters.RegistrationRate(
        turnout=GenderCounts(), registrations=GenderCounts()
    )


@dataclass(frozen=True)
class TotSummary:
    """A ToT session's or a cohort's impact: its graduates, the sessions they led
    (as ``led_by``), the people trained in the cascade (``reach``), and the village
    meetings they led as promoters (``meetings``: count, turnout, registrations)."""

    sessions: int = 0
    graduates: GenderCounts = field(default_factory=GenderCounts)
    reach: GenderCounts = field(default_factory=GenderCounts)
    sessions_led: int = 0
    meetings: promoters.RegistrationRate = field(default_factory=_no_meetings)

    def impact_as_dict(self) -> dict:
        """The API's ``impact``: people as gender blocks, sessions and meetings as
        numbers."""
        return {
            "graduates": self.graduates.as_dict(),
            "sessions_led": self.sessions_led,
            "people_trained": self.reach.as_dict(),
            "meetings_led": self.meetings.meetings,
            "people_reached": self.meetings.turnout.as_dict(),
            "registrations": self.meetings.registrations.as_dict(),
        }


def _tot_facts(filters: ReportFilters) -> QuerySet[TrainedFact] | None:
    if filters.course_kind not in ("", Course.Kind.TOT):
        return None
    return _facts(filters).filter(course_kind=Course.Kind.TOT)


def tot_summary(filters: ReportFilters) -> TotSummary:
    """ToT sessions in the filters, their graduates, and the people those graduates
    went on to train (recursively, as ``trainings.selectors.cascade_reach`` counts
    it: each person once, later trainings whatever their date); the sessions the
    graduates led and the village meetings they led after their ToT
    (``promoters.selectors.cascade_people_reached``, each meeting once)."""
    graduates = _tot_facts(filters)
    if graduates is None or filters.sees_nothing:
        return TotSummary()
    cohort = graduates.values("session_id")
    sessions, reach, sessions_led = figure_cached(
        "tot_cascade", filters, lambda: _tot_cascade(graduates)
    )
    return TotSummary(
        sessions=sessions,
        graduates=trained_total(replace(filters, course_kind=Course.Kind.TOT)),
        reach=reach,
        sessions_led=sessions_led,
        meetings=figure_cached(
            "tot_meetings",
            filters,
            lambda: promoters.cascade_people_reached_of(sessions=cohort),
            reads=(FACTS, OUTREACH),
        ),
    )


def _tot_cascade(graduates: QuerySet[TrainedFact]) -> tuple[int, GenderCounts, int]:
    """The ToT sessions, the people their graduates trained in the cascade and the
    sessions those graduates led (facts, who led which session, and session
    statuses: every write to them gives the data a new version)."""
    led = _sessions_led_by(graduates.values("person_id"))
    return (
        graduates.values("session_id").distinct().count(),
        _cascade_reach_of(graduates),
        len(
            set().union(*led.values())
            - set(graduates.values_list("session_id", flat=True))
        ),
    )


def sessions_impact(*, sessions) -> dict[int, TotSummary]:
    """``TotSummary`` of each ToT session among ``sessions`` (others are left out),
    in a fixed number of queries for a whole page of sessions."""
    tot_ids = [s.pk for s in sessions if s.course.kind == Course.Kind.TOT]
    if not tot_ids:
        return {}
    rows = list(
        TrainedFact.objects.filter(session_id__in=tot_ids).values_list(
            "session_id", "person_id", "gender"
        )
    )
    graduates: dict[int, dict[int, str]] = {pk: {} for pk in tot_ids}
    for session_id, person_id, gender in rows:
        graduates[session_id][person_id] = gender
    start = TrainedFact.objects.filter(session_id__in=tot_ids).annotate(
        root=F("session_id")
    )
    reach = _cascade_reach_by_root(start, graduates)
    led = _sessions_led_by({person for _s, person, _g in rows})
    meetings = promoters.cascade_people_reached_by_session(sessions=tot_ids)
    return {
        pk: TotSummary(
            sessions=1,
            graduates=genders_counted(people.values()),
            reach=reach.get(pk, GenderCounts()),
            sessions_led=len(
                set().union(*(led.get(person, set()) for person in people)) - {pk}
            ),
            meetings=meetings[pk],
        )
        for pk, people in graduates.items()
    }


def trainers_reach(*, people) -> dict[int, tuple[int, GenderCounts]]:
    """For each person (ids): how many sessions they led and the people trained
    downstream of them (``cascade_reach(person=…)``), in a fixed number of
    queries for a page of the trainer roster."""
    people = list(people)
    if not people:
        return {}
    start = Person.objects.filter(pk__in=people).annotate(
        root=F("pk"),
        person_id=F("pk"),
        session_id=Cast(Value(None), IntegerField()),
    )
    reach = _cascade_reach_by_root(start, {pk: {pk: None} for pk in people})
    led = _sessions_led_by(people)
    return {pk: (len(led.get(pk, ())), reach.get(pk, GenderCounts())) for pk in people}


def _sessions_led_by(people) -> dict[int, set[int]]:
    """{person id: ids of the sessions they lead}, cancelled sessions left out."""
    led: dict[int, set[int]] = {}
    for person_id, session_id in (
        Session.led_by.through.objects.filter(person_id__in=people)
        .exclude(session__status=Session.Status.CANCELLED)
        .values_list("person_id", "session_id")
    ):
        led.setdefault(person_id, set()).add(session_id)
    return led


def _cascade_sessions(start: QuerySet) -> list[tuple[int, int]]:
    """(root, session id) of the cascade's walk (``trainings.cascade_walk``, the
    one walk the session page and the API count from too), over the facts' ToT
    graduates (the same rows as the enrolments', under the facts' partial index)."""
    graduates = TrainedFact.objects.filter(tot_graduate=True)
    return trainings.cascade_walk(
        start, graduates.values_list("session_id", "person_id")
    )


def _cascade_reach_of(graduates: QuerySet[TrainedFact]) -> GenderCounts:
    """The cascade of many ToT sessions in two queries, whatever its depth: the
    sessions of one walk (``_cascade_sessions``, the cohort as one root), then the
    people trained in them, starting people excluded. Handing the sessions over as
    values lets the database plan that count on real numbers rather than on its
    guess of a recursion's size."""
    walked = _cascade_sessions(graduates.annotate(root=Value(0)))
    # 0 is no session's key: with no session the count still runs, so the
    # report's queries are the same two whatever the data.
    sessions = [session_id for _root, session_id in walked] or [0]
    reached = TrainedFact.objects.filter(session_id__in=sessions).exclude(
        person_id__in=graduates.values("person_id")
    )
    return _by_gender(_distinct_people(reached)).get(None, GenderCounts())


def _cascade_reach_by_root(
    start: QuerySet, starting_people: dict[int, dict[int, str | None]]
) -> dict[int, GenderCounts]:
    """The cascade reach of each root in two queries: the walk, then the people
    trained in the sessions walked, each root's starting people excluded."""
    walked: dict[int, set[int]] = {}
    for root, session_id in _cascade_sessions(start):
        walked.setdefault(root, set()).add(session_id)
    trained: dict[int, dict[int, str]] = {}
    for session_id, person_id, gender in TrainedFact.objects.filter(
        session_id__in=set().union(*walked.values())
    ).values_list("session_id", "person_id", "gender"):
        trained.setdefault(session_id, {})[person_id] = gender
    reach = {}
    for root, sessions in walked.items():
        people: dict[int, str] = {}
        for session_id in sessions:
            people.update(trained.get(session_id, {}))
        for person_id in starting_people.get(root, {}):
            people.pop(person_id, None)
        reach[root] = genders_counted(people.values())
    return reach


def cascade_of_session(*, session: Session) -> trainings.CascadeReach:
    return trainings.cascade_reach(session=session)


# Learning and feedback --------------------------------------------------------------
# Read from the source rows through the trainings and feedback selectors, which own
# the definitions (``trainings.selectors.learning_grouped``, ``feedback_summary``):
# scores count whether or not the participant completed.


def _sessions_in(filters: ReportFilters) -> QuerySet[Session]:
    """Sessions in the filters' period (by their last day), places, course, partner,
    funder, project and the user's scope."""
    if filters.sees_nothing:
        return Session.objects.none()
    conditions = {
        "ends_on__gte": filters.date_from,
        "ends_on__lte": filters.date_to,
        "district__province": filters.province,
        "district": filters.district,
        "course": filters.course,
        "course__kind": filters.course_kind,
        "pk": filters.session and filters.session.pk,
    }
    sessions = Session.objects.filter(
        **{name: value for name, value in conditions.items() if value}
    )
    linked = filters.linked()
    if linked is not None:
        sessions = sessions.filter(pk__in=Session.objects.filter(linked).values("pk"))
    if filters.sessions is not None:
        sessions = sessions.filter(pk__in=filters.sessions.values("pk"))
    return sessions


def _learning_enrolments(filters: ReportFilters) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(
        session__in=_sessions_in(filters).values("pk")
    )
    if filters.organisation_kind:
        enrolments = enrolments.filter(
            person__organisation__kind=filters.organisation_kind
        )
    return enrolments


@dataclass(frozen=True)
class CourseLearning:
    """One course's learning (everyone and by gender) and its feedback."""

    course: Course
    learning: dict[str, trainings.Learning]
    feedback: feedback_selectors.FeedbackSummary


def learning_total(filters: ReportFilters) -> dict[str, trainings.Learning]:
    return figure_cached(
        "learning_total",
        filters,
        lambda: trainings.learning_by_gender(enrolments=_learning_enrolments(filters)),
    )


def _feedback_in(filters: ReportFilters) -> QuerySet[Feedback]:
    # Feedback is anonymous: the organisation kind filter does not apply to it.
    return Feedback.objects.filter(session__in=_sessions_in(filters).values("pk"))


def feedback_total(filters: ReportFilters) -> feedback_selectors.FeedbackSummary:
    # Read live: feedback forms are written in bulk (no signal), and it is quick.
    return feedback_selectors.feedback_summary(feedback=_feedback_in(filters))


def learning_by_course(filters: ReportFilters) -> list[CourseLearning]:
    """Per course with scores or feedback in the filters: learning (cached) and
    feedback (read live), in three queries whatever the number of courses."""
    learning = figure_cached(
        "learning_by_course",
        filters,
        lambda: trainings.learning_grouped(
            enrolments=_learning_enrolments(filters), by="session__course_id"
        ),
    )
    feedback = {
        course.pk: summary
        for course, summary in feedback_selectors.feedback_by_course(
            feedback=_feedback_in(filters)
        )
    }
    courses = Course.objects.in_bulk({*learning, *feedback})
    empty = {bucket: trainings.Learning() for bucket in trainings.LEARNING_BUCKETS}
    rows = [
        CourseLearning(
            course=course,
            learning=learning.get(pk, empty),
            feedback=feedback.get(pk, feedback_selectors.FeedbackSummary()),
        )
        for pk, course in courses.items()
    ]
    return sorted(rows, key=lambda row: str(row.course.title))


# Certificates -----------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateSummary:
    issued: GenderCounts = field(default_factory=GenderCounts)
    revoked: int = 0


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_period(field_name: str, filters: ReportFilters) -> Q:
    """The moment lies in the period's days (local time); said as a range of
    moments, not a date of each row, so an index on the column serves it."""
    bounds = {}
    if filters.date_from:
        bounds[f"{field_name}__gte"] = _start_of(filters.date_from)
    if filters.date_to:
        bounds[f"{field_name}__lt"] = _start_of(filters.date_to + timedelta(days=1))
    return Q(**bounds)


def _issued_in_period(filters: ReportFilters) -> Q:
    bounds = {"issued_on__gte": filters.date_from, "issued_on__lte": filters.date_to}
    return Q(**{name: day for name, day in bounds.items() if day})


def certificate_summary(filters: ReportFilters) -> CertificateSummary:
    """Certificates issued in the period (by their issue date and the holder's
    gender) and revoked in it. A certificate later replaced still counts as issued
    when it was issued."""
    if filters.sees_nothing:
        return CertificateSummary()
    return figure_cached(
        "certificate_summary", filters, lambda: _certificate_summary(filters)
    )


def _certificate_summary(filters: ReportFilters) -> CertificateSummary:
    certificates = _narrowed(CertificateFact.objects.all(), filters)
    issued = _issued_in_period(filters)
    if filters.date_from or filters.date_to:
        # Only certificates issued or revoked in the period; the indexes on both
        # columns find them without reading the others.
        certificates = certificates.filter(issued | _in_period("revoked_at", filters))
    totals = certificates.aggregate(
        **{
            bucket: Count("pk", filter=issued & Q(gender=gender))
            for bucket, gender in GENDER_BUCKETS.items()
        },
        revoked=Count(
            "pk",
            filter=_in_period("revoked_at", filters) & Q(revoked_at__isnull=False),
        ),
    )
    revoked = totals.pop("revoked")
    return CertificateSummary(GenderCounts(**totals), revoked)


# Follow-ups of trainees at 3 and 6 months ------------------------------------------


def follow_up_summary(filters: ReportFilters) -> trainings.FollowUpSummary:
    """Follow-ups of the completions in the filters (place, course, organisation,
    partner, session, the user's scope) due in the period and by today: how many
    were done and what the trainees said they did since."""
    if filters.sees_nothing:
        return trainings.FollowUpSummary()
    follow_ups = TraineeFollowUp.objects.filter(
        enrolment__in=_narrowed(TrainedFact.objects.all(), filters).values(
            "enrolment_id"
        )
    )
    if filters.date_from:
        follow_ups = follow_ups.filter(due_on__gte=filters.date_from)
    today = timezone.localdate()
    if filters.date_to:
        today = min(today, filters.date_to)
    return trainings.trainee_follow_ups_summary(follow_ups=follow_ups, today=today)


# By district and period (DHIS2) -------------------------------------------------------

PERIOD_TRUNCS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def trained_by_district_and_period(
    filters: ReportFilters, *, period: str, course_kind: str | None = None
) -> dict[tuple[int, object], GenderCounts]:
    """{(district id, first day of the period): distinct people trained}; a person
    trained twice in one district and period counts once there."""
    facts = _facts(filters)
    if course_kind:
        if filters.course_kind not in ("", course_kind):
            return {}
        facts = facts.filter(course_kind=course_kind)
    rows = _distinct_people(
        facts.annotate(period=PERIOD_TRUNCS[period]("ends_on")), "district_id", "period"
    )
    counts = _by_gender(rows, "district_id", "period")
    aggregates = _aggregate_by(
        replace(filters, course_kind=course_kind or filters.course_kind),
        place=F("district_id"),
        period=PERIOD_TRUNCS[period]("ends_on"),
    )
    for key, extra in aggregates.items():
        counts[key] = counts.get(key, GenderCounts()) + extra
    return counts


def districts_in_scope(filters: ReportFilters) -> QuerySet[District]:
    """The districts whose numbers the filters' places and the user's scope cover
    (each of them gets a value, zero included, in a DHIS2 file)."""
    if filters.sees_nothing:
        return District.objects.none()
    districts = District.objects.order_by("code")
    if filters.district is not None:
        districts = districts.filter(pk=filters.district.pk)
    elif filters.province is not None:
        districts = districts.filter(province=filters.province)
    if filters.session is not None:
        districts = districts.filter(pk=filters.session.district_id)
    if filters.sessions is not None:
        districts = districts.filter(pk__in=filters.sessions.values("district_id"))
    return districts


# Outreach, network coverage, information centres, downloads -------------------
# Meetings, centres and downloads belong to no session or course: the place,
# period, partner, funder and project filters apply to them, the course and
# organisation filters do not (reports.scope says so). Trainers (scoped to their
# sessions) see none of them.


def _place_and_period(filters: ReportFilters, *paths: str) -> dict | None:
    """The selectors' arguments: period, place and ``linked`` (the partner, funder
    and project, named by the row itself or through ``paths``)."""
    if filters.sees_nothing or filters.sessions is not None:
        return None
    if filters.session is not None:
        return None
    return {
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "province": filters.province,
        "district": filters.district,
        "linked": filters.linked(*paths),
    }


# A centre visit counts for a partner, funder or project that the visit or its
# centre names (a centre set up with a project's funding serves that project).
VISIT_LINKS = ("", "centre__")


def _activities(filters: ReportFilters) -> dict | None:
    """The place and period, and the kind of activity and campaign, which apply to
    outreach activities only (planned ones are never counted)."""
    place = _place_and_period(filters)
    if place is None:
        return None
    return {**place, "kind": filters.kind, "campaign": filters.campaign}


def outreach_total(filters: ReportFilters) -> promoters.RegistrationRate:
    """Village meetings: how many, turnout and registrations by gender."""
    activities = _activities(filters)
    if activities is None:
        return promoters.RegistrationRate(GenderCounts(), GenderCounts())
    return _outreach_cached(
        "outreach_total", filters, lambda: promoters.meeting_totals(**activities)
    )


def _outreach_cached(name: str, filters: ReportFilters, compute):
    """Meetings and the promoter network: cached under the outreach's version."""
    return figure_cached(name, filters, compute, reads=(OUTREACH,))


def outreach_by_district(filters: ReportFilters) -> list[promoters.RegistrationRate]:
    activities = _activities(filters)
    if activities is None:
        return []
    return _outreach_cached(
        "outreach_by_district",
        filters,
        lambda: promoters.registration_rates(period=None, **activities),
    )


def outreach_by_kind(filters: ReportFilters) -> list[promoters.RegistrationRate]:
    """The outreach figures per kind of activity (a pilot drive is not an ordinary
    meeting: mixing their registration rates misleads)."""
    activities = _activities(filters)
    if activities is None:
        return []
    return _outreach_cached(
        "outreach_by_kind",
        filters,
        lambda: promoters.meeting_totals_by_kind(**activities),
    )


def outreach_by_campaign(filters: ReportFilters) -> list[promoters.RegistrationRate]:
    activities = _activities(filters)
    if activities is None:
        return []
    return _outreach_cached(
        "outreach_by_campaign",
        filters,
        lambda: promoters.meeting_totals_by_campaign(**activities),
    )


def coverage(filters: ReportFilters) -> list[promoters.DistrictCoverage]:
    """Villages with an active promoter among the villages known, per district with
    a district office (today's network: the period does not apply)."""
    place = _place_and_period(filters)
    if place is None:
        return []
    return _outreach_cached(
        "coverage",
        filters,
        lambda: promoters.coverage_by_district(
            province=place["province"],
            district=place["district"],
            linked=place["linked"],
        ),
    )


def centre_visits_total(filters: ReportFilters) -> promoters.TopicVisits:
    place = _place_and_period(filters, *VISIT_LINKS)
    if place is None:
        return promoters.TopicVisits(None, 0, GenderCounts())
    return promoters.centre_visit_totals(**place)


def centre_visits_by_topic(filters: ReportFilters) -> list[promoters.TopicVisits]:
    place = _place_and_period(filters, *VISIT_LINKS)
    if place is None:
        return []
    return promoters.centre_visits_by_topic(**place)


def downloads(filters: ReportFilters) -> materials.DownloadCounts:
    """Downloads of materials in the period, by material, month and district; a
    partner, funder or project filter keeps the materials that name it."""
    place = _place_and_period(filters)
    if place is None:
        return materials.DownloadCounts()
    return materials.download_counts(**place)


# What the outcome report names (reports.outcome) ----------------------------------
# The same filters as every figure above: period, place, partner, funder, project.


@dataclass(frozen=True)
class CampaignDone:
    """A campaign's activities that took place in the filters: their figures, the
    villages they reached and the provinces of those villages."""

    rate: promoters.RegistrationRate
    villages: int
    provinces: list


def campaigns_done(filters: ReportFilters) -> list[CampaignDone]:
    activities = _activities(filters)
    if activities is None:
        return []
    results = []
    for rate in promoters.meeting_totals_by_campaign(**activities):
        done = promoters.activities_done(**{**activities, "campaign": rate.campaign})
        villages = done.order_by().values("village_id").distinct().count()
        provinces = Province.objects.filter(
            pk__in=done.values("village__district__province_id")
        ).order_by("code")
        results.append(CampaignDone(rate, villages, list(provinces)))
    return results


def activities_of_kind(filters: ReportFilters, kind: str) -> tuple:
    """(figures, number of districts) of the activities of one kind."""
    activities = _activities(filters)
    if activities is None or (filters.kind and filters.kind != kind):
        return _no_meetings(), 0
    activities = {**activities, "kind": kind}
    districts = (
        promoters.activities_done(**activities)
        .order_by()
        .values("village__district_id")
        .distinct()
        .count()
    )
    return promoters.meeting_totals(**activities), districts


@dataclass(frozen=True)
class PartnerOutreach:
    partner: Organisation
    meetings: int
    turnout: int


def outreach_by_partner(filters: ReportFilters) -> list[PartnerOutreach]:
    """Outreach activities done with each partner: how many, and their turnout."""
    activities = _activities(filters)
    if activities is None:
        return []
    rows = (
        promoters.activities_done(**activities)
        .filter(partners__isnull=False)
        .order_by()
        .values("partners")
        .annotate(
            meetings=Count("pk", distinct=True),
            **{
                f"turnout_{gender}": Coalesce(Sum(f"turnout_{gender}"), 0)
                for gender in ("women", "men", "other", "not_recorded")
            },
        )
    )
    partners = Organisation.objects.in_bulk([row["partners"] for row in rows])
    results = [
        PartnerOutreach(
            partners[row["partners"]],
            row["meetings"],
            sum(row[f"turnout_{g}"] for g in ("women", "men", "other", "not_recorded")),
        )
        for row in rows
    ]
    return sorted(results, key=lambda item: (-item.meetings, item.partner.name))


def centres_set_up(filters: ReportFilters) -> list:
    place = _place_and_period(filters)
    if place is None:
        return []
    return list(promoters.centres_opened(**place))


def offices_opened(filters: ReportFilters) -> list:
    place = _place_and_period(filters)
    if place is None:
        return []
    return list(promoters.offices_opened(**place))


def materials_published(filters: ReportFilters, *, language: str) -> list:
    """Materials issued in the period (a material has no place: the province and
    district filters do not apply)."""
    place = _place_and_period(filters)
    if place is None:
        return []
    return materials.materials_published(
        date_from=place["date_from"],
        date_to=place["date_to"],
        linked=place["linked"],
        language=language,
    )


@dataclass(frozen=True)
class Programme:
    course: Course
    institution: str
    country: str
    people: GenderCounts


def long_programmes(filters: ReportFilters) -> list[Programme]:
    """People who completed a long programme (e.g. a Master's abroad), per course,
    institution and country."""
    if filters.course_kind not in ("", Course.Kind.LONG_PROGRAMME):
        return []
    facts = _facts(filters).filter(course_kind=Course.Kind.LONG_PROGRAMME)
    rows = _distinct_people(
        facts.annotate(
            institution=F("session__institution"), country=F("session__country")
        ),
        "course_id",
        "institution",
        "country",
    )
    counts = _by_gender(rows, "course_id", "institution", "country")
    courses = Course.objects.in_bulk([key[0] for key in counts])
    return [
        Programme(courses[key[0]], key[1] or "", key[2] or "", value)
        for key, value in sorted(
            counts.items(), key=lambda item: tuple(str(part or "") for part in item[0])
        )
    ]


def tot_months(filters: ReportFilters) -> list:
    """The months (first days) in which the ToT sessions of the filters ended."""
    facts = _tot_facts(filters)
    if facts is None or filters.sees_nothing:
        return []
    return sorted(
        facts.order_by()
        .annotate(month=TruncMonth("ends_on"))
        .values_list("month", flat=True)
        .distinct()
    )


def projects_in_period(filters: ReportFilters) -> list:
    """The projects the report is about: the chosen one, else those running in the
    period (a project without dates runs always)."""
    if filters.project is not None:
        return [filters.project]
    projects = Project.objects.prefetch_related("funders", "partners")
    if filters.date_to:
        projects = projects.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=filters.date_to)
        )
    if filters.date_from:
        projects = projects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=filters.date_from)
        )
    return list(projects.order_by("code"))


# What was set up: centres, offices, materials ------------------------------------
# Counted by their opening or publication date in the period; the place, partner,
# funder and project filters apply (materials belong to no place).


def centres_opened(filters: ReportFilters) -> int:
    return len(centres_set_up(filters))


def offices_opened_count(filters: ReportFilters) -> int:
    return len(offices_opened(filters))


def materials_published_count(filters: ReportFilters) -> int:
    return len(materials_published(filters, language=get_language()))
