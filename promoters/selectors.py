"""Reading the promoter network: who sees what, and the numbers reports show.

Scoping: administrators and managers see everything; a district officer the offices
they work at and everything in those offices' districts; a promoter their own records
and the meetings they led or recorded; anyone else nothing.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from access import policy
from people.counts import GenderCounts
from places.models import District, Village

from .models import (
    GENDER_FIELDS,
    Campaign,
    CentreVisit,
    DistrictOffice,
    FollowUp,
    InformationCentre,
    Promoter,
    Topic,
    VillageMeeting,
)

# Who sees what is access.policy's; these names stay for the callers.
user_reads_all_promoters = policy.reads_everything
user_changes_all_promoters = policy.is_administrator
officer_district_ids = policy.officer_district_ids
promoter_for_user = policy.promoter_of
offices_visible_to = policy.offices_visible
offices_changeable_by = policy.offices_changeable
promoters_visible_to = policy.promoters_visible
promoters_changeable_by = policy.promoters_changeable
meetings_visible_to = policy.meetings_visible
meetings_changeable_by = policy.meetings_changeable
campaigns_visible_to = policy.campaigns_visible
campaigns_changeable_by = policy.campaigns_changeable
centres_visible_to = policy.centres_visible
centres_changeable_by = policy.centres_changeable
centre_visits_visible_to = policy.centre_visits_visible
centre_visits_changeable_by = policy.centre_visits_changeable
follow_ups_visible_to = policy.follow_ups_visible


district_of_user = policy.home_district


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.all()


def village_list_for_promoter(*, promoter: Promoter) -> QuerySet[Village]:
    """Villages where the promoter may hold meetings: those of the district served."""
    return Village.objects.filter(district_id=promoter.office.district_id)


# A promoter's meetings that took place (planned ones are not yet work done).
HELD_BY_PROMOTER = Q(meetings__status=VillageMeeting.Status.DONE)


def meetings_done(meetings: QuerySet[VillageMeeting]) -> QuerySet[VillageMeeting]:
    """The activities that took place: planned ones count in no figure."""
    return meetings.filter(status=VillageMeeting.Status.DONE)


def meetings_planned(meetings: QuerySet[VillageMeeting]) -> QuerySet[VillageMeeting]:
    return meetings.filter(status=VillageMeeting.Status.PLANNED)


# The network of a district office ---------------------------------------------


@dataclass(frozen=True)
class Coverage:
    villages_known: int
    villages_covered: int

    @property
    def rate(self) -> float | None:
        """Villages with at least one active promoter ÷ villages known; None when
        no village of the district is known yet."""
        if not self.villages_known:
            return None
        return self.villages_covered / self.villages_known


@dataclass
class NetworkPromoter:
    promoter: Promoter
    trainings: list = field(default_factory=list)  # completed enrolments
    meetings: int = 0
    last_meeting_on: date | None = None


@dataclass
class OfficeNetwork:
    office: DistrictOffice
    promoters: list[NetworkPromoter]
    villages_covered: list[Village]
    coverage: Coverage


def _active_promoters(on: date | None = None) -> QuerySet[Promoter]:
    """Promoters active today (by status) or on a given day (by their dates)."""
    if on is None:
        return Promoter.objects.filter(status=Promoter.Status.ACTIVE)
    return Promoter.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on
    ).exclude(status=Promoter.Status.INACTIVE, ended_on__isnull=True)


def district_coverage(*, district, on: date | None = None) -> Coverage:
    villages = Village.objects.filter(district=district)
    covered = villages.filter(
        pk__in=_active_promoters(on)
        .filter(office__district=district)
        .values("village_id")
    )
    return Coverage(villages_known=villages.count(), villages_covered=covered.count())


def office_network(*, office: DistrictOffice) -> OfficeNetwork:
    """The office's promoters with their trainings and meetings, the villages they
    cover and the district's coverage — in a fixed number of queries."""
    from trainings.selectors import trained_enrolments

    promoters = list(
        Promoter.objects.filter(office=office)
        .select_related("person", "village")
        .annotate(
            meeting_count=Count("meetings", filter=HELD_BY_PROMOTER),
            last_meeting_on=Max("meetings__date", filter=HELD_BY_PROMOTER),
        )
        .order_by("status", "village__name_lo", "person__full_name")
    )
    trainings: dict[int, list] = {}
    for enrolment in (
        trained_enrolments()
        .filter(person_id__in=[p.person_id for p in promoters])
        .select_related("session__course")
        .order_by("session__ends_on")
    ):
        trainings.setdefault(enrolment.person_id, []).append(enrolment)
    covered = Village.objects.filter(
        pk__in=[p.village_id for p in promoters if p.status == Promoter.Status.ACTIVE]
    )
    return OfficeNetwork(
        office=office,
        promoters=[
            NetworkPromoter(
                promoter=p,
                trainings=trainings.get(p.person_id, []),
                meetings=p.meeting_count,
                last_meeting_on=p.last_meeting_on,
            )
            for p in promoters
        ],
        villages_covered=list(covered),
        coverage=district_coverage(district=office.district),
    )


# Follow-ups -------------------------------------------------------------------


def follow_ups_with_last_meeting(follow_ups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """Follow-ups with their promoter's latest meeting as the office page counts it
    (``latest_meeting_on``), not as it was when the check ran."""
    return follow_ups.annotate(
        latest_meeting_on=Max(
            "promoter__meetings__date",
            filter=Q(promoter__meetings__status=VillageMeeting.Status.DONE),
        )
    )


def weeks_without_meeting(
    *, last_meeting_on: date | None, started_on: date, today: date | None = None
) -> int:
    """Whole weeks since the promoter's last meeting (or their start, without one)."""
    today = today or timezone.localdate()
    return max((today - (last_meeting_on or started_on)).days // 7, 0)


def follow_up_weeks(follow_up: FollowUp, *, today: date | None = None) -> int:
    """The real gap today, from a follow-up of ``follow_ups_with_last_meeting``."""
    return weeks_without_meeting(
        last_meeting_on=follow_up.latest_meeting_on,
        started_on=follow_up.promoter.started_on,
        today=today,
    )


# Numbers for reports ----------------------------------------------------------
# Each takes the same filters; ``user`` limits the data to what that user may see.


def _filtered(
    queryset: QuerySet,
    *,
    date_field: str,
    district_field: str,
    date_from: date | None = None,
    date_to: date | None = None,
    province=None,
    district=None,
    linked: Q | None = None,
) -> QuerySet:
    """``linked``: a condition on the rows' partners, funders and projects
    (``reports.filters.ReportFilters.linked``), applied as a subquery so a row
    named twice is still counted once."""
    if linked is not None:
        model = queryset.model
        queryset = queryset.filter(pk__in=model.objects.filter(linked).values("pk"))
    filters = {
        f"{date_field}__gte": date_from,
        f"{date_field}__lte": date_to,
        f"{district_field}__province": province,
        district_field: district,
    }
    return queryset.filter(
        **{name: value for name, value in filters.items() if value not in (None, "")}
    )


def _meetings(
    *, user=None, kind: str = "", campaign=None, **filters
) -> QuerySet[VillageMeeting]:
    """Activities that took place in the filters (never planned ones); ``kind``
    and ``campaign`` narrow them to one kind of activity or one campaign."""
    meetings = (
        meetings_visible_to(user) if user is not None else VillageMeeting.objects.all()
    )
    meetings = meetings_done(meetings)
    if kind:
        meetings = meetings.filter(kind=kind)
    if campaign is not None:
        meetings = meetings.filter(campaign=campaign)
    return _filtered(
        meetings, date_field="date", district_field="village__district", **filters
    )


def _gender_sums(prefix: str, path: str = "", **extra) -> dict:
    return {
        f"{prefix}_{gender}": Coalesce(Sum(f"{path}{prefix}_{gender}", **extra), 0)
        for gender in GENDER_FIELDS
    }


def _gender_counts(row: dict, prefix: str) -> GenderCounts:
    return GenderCounts(**{g: row.pop(f"{prefix}_{g}") for g in GENDER_FIELDS})


@dataclass(frozen=True)
class RegistrationRate:
    """Registrations ÷ turnout by gender; a rate is None where nobody turned out."""

    turnout: GenderCounts
    registrations: GenderCounts
    meetings: int = 0
    district: District | None = None
    period: date | None = None
    contributions_lak: int = 0
    contributions_people: int = 0
    kind: str = ""
    campaign: Campaign | None = None

    @property
    def kind_label(self) -> str:
        return str(VillageMeeting.Kind(self.kind).label) if self.kind else ""

    def rate(self, gender: str = "total") -> float | None:
        turned_out = getattr(self.turnout, gender)
        if not turned_out:
            return None
        return getattr(self.registrations, gender) / turned_out

    @property
    def rates(self) -> dict[str, float | None]:
        return {gender: self.rate(gender) for gender in ("total", *GENDER_FIELDS)}


PERIOD_FUNCTIONS = {
    "month": "TruncMonth",
    "quarter": "TruncQuarter",
    "year": "TruncYear",
}


def _activity_sums() -> dict:
    return {
        "meetings": Count("*"),
        "contributions_lak": Coalesce(Sum("contributions_lak"), 0),
        "contributions_people": Coalesce(Sum("contributions_people"), 0),
        **_gender_sums("turnout"),
        **_gender_sums("registrations"),
    }


def _rate_of(row: dict, **extra) -> RegistrationRate:
    return RegistrationRate(
        turnout=_gender_counts(row, "turnout"),
        registrations=_gender_counts(row, "registrations"),
        meetings=row["meetings"],
        contributions_lak=row["contributions_lak"],
        contributions_people=row["contributions_people"],
        **extra,
    )


def meeting_totals(**filters) -> RegistrationRate:
    """Turnout, registrations and contributions of all activities that took place
    in the filters."""
    return _rate_of(_meetings(**filters).aggregate(**_activity_sums()))


def meeting_totals_by_kind(**filters) -> list[RegistrationRate]:
    """The same figures per kind of activity, in the order of the kinds: one query."""
    rows = {
        row["kind"]: row
        for row in _meetings(**filters)
        .order_by()
        .values("kind")
        .annotate(**_activity_sums())
    }
    return [
        _rate_of(rows[kind], kind=kind)
        for kind in VillageMeeting.Kind.values
        if kind in rows
    ]


def meeting_totals_by_campaign(**filters) -> list[RegistrationRate]:
    """The same figures per campaign, for activities that belong to one."""
    rows = list(
        _meetings(**filters)
        .filter(campaign__isnull=False)
        .order_by()
        .values("campaign")
        .annotate(**_activity_sums())
    )
    campaigns = Campaign.objects.in_bulk([row["campaign"] for row in rows])
    results = [_rate_of(row, campaign=campaigns[row.pop("campaign")]) for row in rows]
    return sorted(results, key=lambda r: (r.campaign.starts_on, r.campaign.pk))


def registration_rates(*, period: str = "month", **filters) -> list[RegistrationRate]:
    """Turnout, registrations and the registration rate by district and period
    (``month``, ``quarter`` or ``year``; ``None`` for the whole range): one query."""
    from django.db.models import functions

    meetings = _meetings(**filters).order_by()
    group = ["village__district_id"]
    if period is not None:
        meetings = meetings.annotate(
            period=getattr(functions, PERIOD_FUNCTIONS[period])("date")
        )
        group.append("period")
    rows = list(
        meetings.values(*group).annotate(
            meetings=Count("*"),
            **_gender_sums("turnout"),
            **_gender_sums("registrations"),
        )
    )
    districts = District.objects.select_related("province").in_bulk(
        {row["village__district_id"] for row in rows}
    )
    results = [
        RegistrationRate(
            turnout=_gender_counts(row, "turnout"),
            registrations=_gender_counts(row, "registrations"),
            meetings=row["meetings"],
            district=districts[row["village__district_id"]],
            period=_as_date(row.get("period")),
        )
        for row in rows
    ]
    return sorted(results, key=lambda r: (r.district.code, r.period or date.min))


def _as_date(value) -> date | None:
    if value is None or type(value) is date:
        return value
    return value.date()


@dataclass(frozen=True)
class DistrictCoverage:
    district: District
    coverage: Coverage
    promoters: int


def coverage_by_district(
    *,
    user=None,
    province=None,
    district=None,
    on: date | None = None,
    linked: Q | None = None,
    **_dates,
) -> list[DistrictCoverage]:
    """Coverage of each district that has a district office (one whose partners,
    funders and projects match ``linked``), in four queries, each one grouping by
    district (no per-village test)."""
    offices = offices_visible_to(user) if user is not None else DistrictOffice.objects
    district_ids = _filtered(
        offices.all(),
        date_field="opened_on",
        district_field="district",
        province=province,
        district=district,
        linked=linked,
    ).values("district_id")
    active = _active_promoters(on).filter(office__district_id__in=district_ids)

    def per_district(queryset, group: str, count) -> dict[int, int]:
        rows = queryset.order_by().values(group).annotate(n=count)
        return dict(rows.values_list(group, "n"))

    known = per_district(
        Village.objects.filter(district_id__in=district_ids), "district_id", Count("pk")
    )
    covered = per_district(
        active.filter(village__district_id__in=district_ids),
        "village__district_id",
        Count("village_id", distinct=True),
    )
    promoters = per_district(active, "office__district_id", Count("pk"))
    districts = District.objects.select_related("province").filter(pk__in=district_ids)
    return [
        DistrictCoverage(
            district=d,
            coverage=Coverage(
                villages_known=known.get(d.pk, 0),
                villages_covered=covered.get(d.pk, 0),
            ),
            promoters=promoters.get(d.pk, 0),
        )
        for d in districts.order_by("code")
    ]


@dataclass(frozen=True)
class TopicVisits:
    topic: Topic | None
    visits: int
    visitors: GenderCounts


def _centre_visits(*, user=None, **filters) -> QuerySet[CentreVisit]:
    visits = (
        centre_visits_visible_to(user)
        if user is not None
        else CentreVisit.objects.all()
    )
    return _filtered(
        visits, date_field="date", district_field="centre__district", **filters
    )


def centre_visit_totals(**filters) -> TopicVisits:
    """All visits matching the filters: how many, and visitors by gender."""
    row = _centre_visits(**filters).aggregate(
        visits=Count("*"), **_gender_sums("visitors")
    )
    return TopicVisits(
        topic=None, visits=row.pop("visits"), visitors=_gender_counts(row, "visitors")
    )


def centre_visits_by_topic(**filters) -> list[TopicVisits]:
    """Visits and visitors by gender per topic asked about (a visit about two topics
    counts under each); two queries whatever the data size."""
    visits = _centre_visits(**filters)
    rows = (
        visits.filter(topics__isnull=False)
        .order_by()
        .values("topics")
        .annotate(visits=Count("pk"), **_gender_sums("visitors"))
    )
    topics = Topic.objects.in_bulk([row["topics"] for row in rows])
    return sorted(
        (
            TopicVisits(
                topic=topics[row["topics"]],
                visits=row["visits"],
                visitors=_gender_counts(row, "visitors"),
            )
            for row in rows
        ),
        key=lambda item: (-item.visitors.total, item.topic.name_en),
    )


def centres_opened(**filters) -> int:
    """Information centres opened (by ``opened_on``) in the filters."""
    return _filtered(
        InformationCentre.objects.all(),
        date_field="opened_on",
        district_field="district",
        **_opened(filters),
    ).count()


def offices_opened(**filters) -> int:
    """District offices opened (by ``opened_on``) in the filters."""
    return _filtered(
        DistrictOffice.objects.all(),
        date_field="opened_on",
        district_field="district",
        **_opened(filters),
    ).count()


def _opened(filters: dict) -> dict:
    """A centre or office with no opening date was not opened in any period."""
    if filters.get("date_from") or filters.get("date_to"):
        return filters
    return {**filters, "date_from": date.min}


# Cascade -------------------------------------------------------------------------


def cascade_people_reached(*, session) -> RegistrationRate:
    """Head counts at village meetings led by graduates of a ToT ``session``.

    These people are *reached*, not *trained*: they are counted by gender from
    meeting turnouts, never as named people, and a meeting led by two graduates
    counts once. ``.turnout`` is the people reached, ``.registrations`` those
    who registered there.
    """
    return cascade_people_reached_by_session(sessions=[session.pk])[session.pk]


def cascade_people_reached_by_session(*, sessions) -> dict[int, RegistrationRate]:
    """``cascade_people_reached`` of each ToT session (ids), in two queries."""
    return {
        session_id: _meetings_summed(meetings.values())
        for session_id, meetings in _graduates_meetings(sessions).items()
    }


def cascade_people_reached_of(*, sessions) -> RegistrationRate:
    """The same for a cohort of ToT sessions (ids or a values queryset): a meeting
    led by graduates of two of them counts once."""
    cohort: dict = {}
    for meetings in _graduates_meetings(sessions).values():
        cohort.update(meetings)
    return _meetings_summed(cohort.values())


_MEETING_COUNTS = [
    f"{kind}_{g}" for kind in ("turnout", "registrations") for g in GENDER_FIELDS
]


def _graduates_meetings(sessions) -> dict[int, dict[int, dict]]:
    """{session id: {meeting id: its counts}}: the village meetings each ToT
    session's graduates led as promoters, from the session's last day on."""
    from trainings.selectors import trained_enrolments

    graduates = list(
        trained_enrolments()
        .filter(session__in=sessions)
        .values_list("session_id", "person_id", "session__ends_on")
    )
    # Every session asked for by id has an answer, with meetings or without.
    found: dict[int, dict[int, dict]] = (
        {session_id: {} for session_id in sessions}
        if isinstance(sessions, list)
        else {}
    )
    by_person: dict[int, list] = {}
    for row in (
        meetings_done(VillageMeeting.objects)
        .filter(led_by__person_id__in={person for _session, person, _ends in graduates})
        .values("pk", "date", "led_by__person_id", *_MEETING_COUNTS)
    ):
        by_person.setdefault(row["led_by__person_id"], []).append(row)
    for session_id, person_id, ends_on in graduates:
        meetings = found.setdefault(session_id, {})
        for row in by_person.get(person_id, []):
            if ends_on is None or row["date"] >= ends_on:
                meetings[row["pk"]] = row
    return found


def _meetings_summed(meetings) -> RegistrationRate:
    meetings = list(meetings)

    def summed(kind: str) -> GenderCounts:
        return GenderCounts(
            **{g: sum(row[f"{kind}_{g}"] for row in meetings) for g in GENDER_FIELDS}
        )

    return RegistrationRate(
        turnout=summed("turnout"),
        registrations=summed("registrations"),
        meetings=len(meetings),
    )
