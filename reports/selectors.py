"""Every number the reports show, each computed by one selector here.

The dashboard, the report pages, the exports, the DHIS2 export and the API all call
these functions with a ``ReportFilters``, so a number is the same wherever it appears.
Counts of people are of distinct people, always by the four genders and a total.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate
from materials import selectors as materials
from people.counts import GENDER_BUCKETS, GenderCounts, gender_counts
from people.models import Organisation, Person
from places.models import District, Province
from promoters import selectors as promoters
from trainings import selectors as trainings
from trainings.models import Course, Enrolment, Session

from .filters import ReportFilters


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: what it is about and its counts."""

    key: object
    label: str
    counts: GenderCounts


# People trained ---------------------------------------------------------------------


def _trained_enrolments(filters: ReportFilters) -> QuerySet[Enrolment]:
    if filters.sees_nothing:
        return Enrolment.objects.none()
    return trainings.trained_enrolments(**filters.trained_kwargs())


def trained_total(filters: ReportFilters) -> GenderCounts:
    """Distinct people who completed a training in the filters, by gender."""
    if filters.sees_nothing:
        return GenderCounts()
    return trainings.trained_counts(**filters.trained_kwargs())


def trained_people(filters: ReportFilters) -> QuerySet[Person]:
    """The people behind ``trained_total`` (for roles that may see them)."""
    if filters.sees_nothing:
        return Person.objects.none()
    return trainings.trained_people(**filters.trained_kwargs()).select_related(
        "organisation", "district__province"
    )


BREAKDOWNS = {
    "province": F("session__district__province_id"),
    "district": F("session__district_id"),
    "course": F("session__course_id"),
    "course_kind": F("session__course__kind"),
    "organisation_kind": F("person__organisation__kind"),
    "month": TruncMonth("session__ends_on"),
    "quarter": TruncQuarter("session__ends_on"),
    "year": ExtractYear("session__ends_on"),
}


def _distinct_by_gender(prefix: str = "") -> dict:
    return {
        bucket: Count(
            f"{prefix}person_id",
            distinct=True,
            filter=Q(**{f"{prefix}person__gender": gender}),
        )
        for bucket, gender in GENDER_BUCKETS.items()
    }


def trained_by(filters: ReportFilters, *, by: str) -> list[Row]:
    """Distinct people trained per province, district, course, course kind,
    organisation kind, month, quarter or year. A person trained in two districts
    counts once in each, so the lines may add up to more than the total."""
    grouping = BREAKDOWNS[by]
    rows = (
        _trained_enrolments(filters)
        .order_by()
        .annotate(group=grouping)
        .values("group")
        .annotate(**_distinct_by_gender())
    )
    counts = {row.pop("group"): GenderCounts(**row) for row in rows}
    labels = _labels(by, counts.keys())
    return [Row(key, labels[key], counts[key]) for key in _ordered(by, labels)]


def _labels(by: str, keys) -> dict:
    keys = list(keys)
    if by == "province":
        return {p.pk: p.name for p in Province.objects.filter(pk__in=keys)}
    if by == "district":
        return {d.pk: d.name for d in District.objects.filter(pk__in=keys)}
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
        return {key: key.strftime("%Y-%m") for key in keys}
    if by == "quarter":
        return {key: f"{key.year} Q{(key.month - 1) // 3 + 1}" for key in keys}
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
    return sorted(labels, key=lambda key: labels[key])


# Training of Trainers and their cascade ----------------------------------------------


@dataclass(frozen=True)
class TotSummary:
    sessions: int = 0
    graduates: GenderCounts = field(default_factory=GenderCounts)
    reach: GenderCounts = field(default_factory=GenderCounts)


def _tot_filters(filters: ReportFilters) -> dict | None:
    if filters.sees_nothing or filters.course_kind not in ("", Course.Kind.TOT):
        return None
    return {**filters.trained_kwargs(), "course_kind": Course.Kind.TOT}


def tot_summary(filters: ReportFilters) -> TotSummary:
    """ToT sessions in the filters, their graduates, and the people those graduates
    went on to train (recursively, as ``trainings.selectors.cascade_reach`` counts
    it: each person once, later trainings whatever their date)."""
    tot = _tot_filters(filters)
    if tot is None:
        return TotSummary()
    graduates = trainings.trained_enrolments(**tot)
    return TotSummary(
        sessions=graduates.values("session_id").distinct().count(),
        graduates=gender_counts(trainings.trained_people(**tot)),
        reach=_cascade_reach_of(graduates),
    )


def _sql(queryset: QuerySet) -> tuple[str, list]:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


def _cascade_reach_of(graduates: QuerySet[Enrolment]) -> GenderCounts:
    """The cascade of many ToT sessions in one query, whatever its depth.

    Same definition as ``trainings.selectors.cascade_reach``, walked as a recursive
    query instead of one query per generation: the leaders are the graduates and,
    repeatedly, the ToT graduates among the people the leaders trained (outside the
    starting sessions); the reach is everyone the leaders trained, starting people
    excluded. The ORM cannot say a recursive query, hence the SQL. ``handovers`` (who
    trained which future trainer) is read once; the walk then stays inside it.
    """
    start_people = _sql(graduates.values("person_id"))
    start_sessions = _sql(graduates.values("session_id"))
    tot_graduates = _sql(
        trainings.trained_enrolments(course_kind=Course.Kind.TOT).values("person_id")
    )
    enrolment = Enrolment._meta.db_table
    led_by = Session.led_by.through._meta.db_table
    person = Person._meta.db_table
    completed = (
        f"c.role = '{Enrolment.Role.PARTICIPANT}' "
        f"AND c.status = '{Enrolment.Status.COMPLETED}'"
    )
    sql = f"""
        WITH RECURSIVE start_sessions (session_id) AS ({start_sessions[0]}),
        tot_graduates (person_id) AS ({tot_graduates[0]}),
        handovers (leader_id, trainer_id) AS MATERIALIZED (
            SELECT l.person_id, c.person_id FROM {led_by} l
            JOIN {enrolment} c ON c.session_id = l.session_id
            WHERE {completed}
            AND c.session_id NOT IN (SELECT session_id FROM start_sessions)
            AND c.person_id IN (SELECT person_id FROM tot_graduates)
        ),
        leaders (person_id) AS (
            {start_people[0]}
            UNION
            SELECT h.trainer_id FROM handovers h
            JOIN leaders ld ON ld.person_id = h.leader_id
        )
        SELECT p.gender, COUNT(*) FROM {person} p
        WHERE p.id IN (
            SELECT c.person_id FROM {led_by} l
            JOIN {enrolment} c ON c.session_id = l.session_id
            WHERE {completed}
            AND l.person_id IN (SELECT person_id FROM leaders)
            AND c.session_id NOT IN (SELECT session_id FROM start_sessions)
        )
        AND p.id NOT IN ({start_people[0]})
        GROUP BY p.gender
    """
    params = start_sessions[1] + tot_graduates[1] + start_people[1] * 2
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        by_gender = dict(cursor.fetchall())
    return GenderCounts(
        **{
            bucket: by_gender.get(gender, 0)
            for bucket, gender in GENDER_BUCKETS.items()
        }
    )


def cascade_of_session(*, session: Session) -> trainings.CascadeReach:
    return trainings.cascade_reach(session=session)


# Certificates -----------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateSummary:
    issued: GenderCounts = field(default_factory=GenderCounts)
    revoked: int = 0


def _certificates(filters: ReportFilters) -> QuerySet[Certificate]:
    session_filters = {
        "enrolment__session__district__province": filters.province,
        "enrolment__session__district": filters.district,
        "enrolment__session__course": filters.course,
        "enrolment__session__course__kind": filters.course_kind or None,
        "enrolment__person__organisation__kind": filters.organisation_kind or None,
    }
    certificates = Certificate.objects.filter(
        **{name: value for name, value in session_filters.items() if value}
    )
    if filters.partner is not None:
        certificates = certificates.filter(
            Q(enrolment__session__partners=filters.partner)
            | Q(enrolment__session__funders=filters.partner)
        )
    if filters.sessions is not None:
        certificates = certificates.filter(enrolment__session__in=filters.sessions)
    return certificates


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


def certificate_summary(filters: ReportFilters) -> CertificateSummary:
    """Certificates issued in the period (by the holder's gender) and revoked in it.
    A certificate later replaced still counts as issued when it was issued."""
    if filters.sees_nothing:
        return CertificateSummary()
    certificates = _certificates(filters)
    if filters.date_from or filters.date_to:
        # Only certificates issued or revoked in the period; the indexes on both
        # moments find them without reading the others.
        certificates = certificates.filter(
            _in_period("issued_at", filters) | _in_period("revoked_at", filters)
        )
    totals = certificates.aggregate(
        **{
            bucket: Count(
                "pk",
                filter=_in_period("issued_at", filters)
                & Q(enrolment__person__gender=gender),
            )
            for bucket, gender in GENDER_BUCKETS.items()
        },
        revoked=Count(
            "pk",
            filter=_in_period("revoked_at", filters) & Q(revoked_at__isnull=False),
        ),
    )
    revoked = totals.pop("revoked")
    return CertificateSummary(GenderCounts(**totals), revoked)


# By district and period (DHIS2) -------------------------------------------------------

PERIOD_TRUNCS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def trained_by_district_and_period(
    filters: ReportFilters, *, period: str, course_kind: str | None = None
) -> dict[tuple[int, object], GenderCounts]:
    """{(district id, first day of the period): distinct people trained}; a person
    trained twice in one district and period counts once there."""
    enrolments = _trained_enrolments(filters)
    if course_kind:
        if filters.course_kind not in ("", course_kind):
            return {}
        enrolments = enrolments.filter(session__course__kind=course_kind)
    rows = (
        enrolments.order_by()
        .annotate(period=PERIOD_TRUNCS[period]("session__ends_on"))
        .values("session__district_id", "period")
        .annotate(**_distinct_by_gender())
    )
    return {
        (row.pop("session__district_id"), row.pop("period")): GenderCounts(**row)
        for row in rows
    }


# Outreach, network coverage, information centres, downloads -------------------
# Meetings, centres and downloads belong to no session or course: the place and
# period filters apply to them, the course and organisation filters do not. Trainers
# (scoped to their sessions) see none of them.


def _place_and_period(filters: ReportFilters) -> dict | None:
    if filters.sees_nothing or filters.sessions is not None:
        return None
    return {
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "province": filters.province,
        "district": filters.district,
    }


def outreach_total(filters: ReportFilters) -> promoters.RegistrationRate:
    """Village meetings: how many, turnout and registrations by gender."""
    place = _place_and_period(filters)
    if place is None:
        return promoters.RegistrationRate(GenderCounts(), GenderCounts())
    return promoters.meeting_totals(**place)


def outreach_by_district(filters: ReportFilters) -> list[promoters.RegistrationRate]:
    place = _place_and_period(filters)
    if place is None:
        return []
    return promoters.registration_rates(period=None, **place)


def coverage(filters: ReportFilters) -> list[promoters.DistrictCoverage]:
    """Villages with an active promoter among the villages known, per district with
    a district office (today's network: the period does not apply)."""
    place = _place_and_period(filters)
    if place is None:
        return []
    return promoters.coverage_by_district(
        province=place["province"], district=place["district"]
    )


def centre_visits_total(filters: ReportFilters) -> promoters.TopicVisits:
    place = _place_and_period(filters)
    if place is None:
        return promoters.TopicVisits(None, 0, GenderCounts())
    return promoters.centre_visit_totals(**place)


def centre_visits_by_topic(filters: ReportFilters) -> list[promoters.TopicVisits]:
    place = _place_and_period(filters)
    if place is None:
        return []
    return promoters.centre_visits_by_topic(**place)


def downloads(filters: ReportFilters) -> materials.DownloadCounts:
    """Downloads of materials in the period, by material, month and district."""
    place = _place_and_period(filters)
    if place is None:
        return materials.DownloadCounts()
    return materials.download_counts(**place)
