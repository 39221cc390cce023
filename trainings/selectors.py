"""Reading trainings: scoping by role, counts of people trained, the cascade."""

from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from audit.models import AuditEvent
from people.counts import GENDER_BUCKETS, GenderCounts, genders_counted
from people.models import Person
from people.selectors import person_search

from .models import (
    Attendance,
    Course,
    Enrolment,
    Session,
    SessionDay,
    TraineeFollowUp,
    TrainerQualification,
)

# Who sees what is access.policy's; these names stay for the callers.
user_reads_all_sessions = policy.reads_everything
user_changes_all_sessions = policy.is_administrator
sessions_visible_to = policy.sessions_visible
sessions_changeable_by = policy.sessions_changeable
enrolments_visible_to = policy.enrolments_visible
people_visible_to = policy.people_visible


def trained_enrolments(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    year: int | None = None,
    province=None,
    district=None,
    course: Course | None = None,
    course_kind: str | None = None,
    organisation_kind: str | None = None,
    partner=None,
    session: Session | None = None,
    sessions: QuerySet[Session] | None = None,
) -> QuerySet[Enrolment]:
    """Participants who completed, in sessions matching the filters (dates by the
    session's last day)."""
    enrolments = Enrolment.objects.trained()
    filters = {
        "session__ends_on__gte": date_from,
        "session__ends_on__lte": date_to,
        "session__ends_on__year": year,
        "session__district__province": province,
        "session__district": district,
        "session__course": course,
        "session__course__kind": course_kind,
        "person__organisation__kind": organisation_kind,
        "session": session,
    }
    enrolments = enrolments.filter(
        **{name: value for name, value in filters.items() if value not in (None, "")}
    )
    if partner is not None:
        enrolments = enrolments.filter(
            Q(session__partners=partner) | Q(session__funders=partner)
        )
    if sessions is not None:
        enrolments = enrolments.filter(session__in=sessions)
    return enrolments


def trained_people(**filters) -> QuerySet[Person]:
    """Distinct people who completed a training: a person trained twice is one."""
    return Person.objects.filter(
        pk__in=trained_enrolments(**filters).values("person_id")
    )


@dataclass(frozen=True)
class SessionCounts:
    participants: GenderCounts
    completed: GenderCounts


def _gender_counts_by_session(enrolments: QuerySet[Enrolment]) -> dict:
    # A person is enrolled at most once per session, so per session these are
    # distinct people.
    rows = (
        enrolments.order_by()
        .values("session_id")
        .annotate(
            **{
                bucket: Count("person_id", filter=Q(person__gender=gender))
                for bucket, gender in GENDER_BUCKETS.items()
            }
        )
    )
    return {row.pop("session_id"): GenderCounts(**row) for row in rows}


def sessions_counts(*, sessions) -> dict[int, SessionCounts]:
    """Participants and completers by gender for many sessions in two queries."""
    ids = [session.pk for session in sessions]
    participants = _gender_counts_by_session(
        Enrolment.objects.filter(session_id__in=ids, role=Enrolment.Role.PARTICIPANT)
    )
    completed = _gender_counts_by_session(
        trained_enrolments().filter(session_id__in=ids)
    )
    return {
        pk: SessionCounts(
            participants=participants.get(pk, GenderCounts()),
            completed=completed.get(pk, GenderCounts()),
        )
        for pk in ids
    }


def session_counts(*, session: Session) -> SessionCounts:
    return sessions_counts(sessions=[session])[session.pk]


def session_attendance_grid(*, session: Session) -> tuple[list, list, dict]:
    """Days, enrolments and {(enrolment id, day id): status} for the grid and sheets."""
    days = list(session.days.all())
    enrolments = list(
        session.enrolments.select_related(
            "person__organisation", "person__district", "person__village"
        ).order_by("role", "person__full_name")
    )
    statuses = {
        (enrolment_id, day_id): status
        for enrolment_id, day_id, status in session.enrolments.values_list(
            "pk", "attendances__day_id", "attendances__status"
        )
        if day_id is not None
    }
    return days, enrolments, statuses


@dataclass
class CascadeReach:
    generations: list[GenderCounts] = field(default_factory=list)

    @property
    def total(self) -> GenderCounts:
        return sum(self.generations, GenderCounts())

    def as_dict(self) -> dict:
        return {
            "total": self.total.as_dict(),
            "generations": [
                {"generation": number, **counts.as_dict()}
                for number, counts in enumerate(self.generations, start=1)
            ],
        }


def tot_graduates_trained() -> QuerySet[Enrolment]:
    """(session id, person id) of every completed training of a ToT graduate: the
    people who may lead the cascade's next generation."""
    graduates = Enrolment.objects.trained().filter(
        session__course__kind=Course.Kind.TOT
    )
    return (
        Enrolment.objects.trained()
        .filter(person_id__in=graduates.values("person_id"))
        .values_list("session_id", "person_id")
    )


def cascade_walk(start: QuerySet, graduates: QuerySet | None = None) -> list[tuple]:
    """(root, session id) for every session led in the cascade of each root.

    The one walk of the cascade, for many roots at once (a ToT session, a person,
    or a whole cohort under one root): the session page, the API and the reports
    all count from it. ``start`` has a ``root``, a ``person_id`` and a
    ``session_id`` (the starting session, or none for a person). The leaders are
    the starting people and, repeatedly, the ToT graduates among the people the
    leaders trained (outside the root's starting sessions); ``graduates`` gives
    those trainings as (session id, person id), by default
    ``tot_graduates_trained()`` (the reports pass their facts' indexed copy). The
    ORM cannot say a recursive query, hence the SQL; a cycle ends the walk (UNION
    keeps each leader once).
    """
    start_sql, start_params = _sql(start.values_list("root", "person_id", "session_id"))
    if graduates is None:
        graduates = tot_graduates_trained()
    graduates_sql, graduates_params = _sql(graduates)
    led_by = Session.led_by.through._meta.db_table
    query = f"""
        WITH RECURSIVE start (root, person_id, session_id) AS MATERIALIZED (
            {start_sql}
        ),
        leaders (root, person_id) AS (
            SELECT root, person_id FROM start
            UNION
            SELECT ld.root, g.person_id FROM leaders ld
            JOIN {led_by} l ON l.person_id = ld.person_id
            JOIN ({graduates_sql}) g ON g.session_id = l.session_id
            WHERE NOT EXISTS (
                SELECT 1 FROM start s
                WHERE s.root = ld.root AND s.session_id = g.session_id
            )
        )
        SELECT DISTINCT ld.root, l.session_id FROM leaders ld
        JOIN {led_by} l ON l.person_id = ld.person_id
        WHERE NOT EXISTS (
            SELECT 1 FROM start s
            WHERE s.root = ld.root AND s.session_id = l.session_id
        )
    """
    with connection.cursor() as cursor:
        cursor.execute(query, [*start_params, *graduates_params])
        return cursor.fetchall()


def _sql(queryset: QuerySet) -> tuple[str, list]:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


def cascade_reach(
    *, session: Session | None = None, person: Person | None = None
) -> CascadeReach:
    """People trained downstream of a ToT session (its graduates) or of one person,
    by generation, as ``cascade_walk`` finds them.

    Generation 1 are those who completed sessions led by the starting people; each
    generation's ToT graduates lead the next. Nobody is counted twice (the starting
    people included).
    """
    if (session is None) == (person is None):
        raise TypeError("cascade_reach() needs exactly one of session or person")
    if session is not None:
        start = trained_enrolments(session=session).annotate(root=Value(0))
        leaders = set(start.values_list("person_id", flat=True))
    else:
        start = Person.objects.filter(pk=person.pk).annotate(
            root=Value(0),
            person_id=F("pk"),
            session_id=Cast(Value(None), IntegerField()),
        )
        leaders = {person.pk}
    walked = {session_id for _root, session_id in cascade_walk(start)}
    return _generations(walked, leaders)


def _generations(walked: set[int], leaders: set[int]) -> CascadeReach:
    """Number the people trained in the walked sessions by generation: the
    sessions of a generation's leaders train the next one."""
    led: dict[int, set[int]] = {}
    for session_id, person_id in Session.led_by.through.objects.filter(
        session_id__in=walked
    ).values_list("session_id", "person_id"):
        led.setdefault(session_id, set()).add(person_id)
    trained: dict[int, dict[int, str]] = {}
    for session_id, person_id, gender in (
        Enrolment.objects.trained()
        .filter(session_id__in=walked)
        .values_list("session_id", "person_id", "person__gender")
    ):
        trained.setdefault(session_id, {})[person_id] = gender
    everyone = {pk for people in trained.values() for pk in people}
    tot = {pk for _s, pk in tot_graduates_trained().filter(person_id__in=everyone)}
    seen, reach = set(leaders), CascadeReach()
    while leaders:
        reached = {
            person_id: gender
            for session_id in walked
            if led.get(session_id, set()) & leaders
            for person_id, gender in trained.get(session_id, {}).items()
            if person_id not in seen
        }
        if not reached:
            break
        seen |= set(reached)
        reach.generations.append(genders_counted(reached.values()))
        leaders = set(reached) & tot
    return reach


@dataclass(frozen=True)
class GridCell:
    day: SessionDay
    status: str


@dataclass(frozen=True)
class GridRow:
    enrolment: Enrolment
    cells: list[GridCell]
    attended: int
    percent: int | None
    below_rule: bool


@dataclass(frozen=True)
class GridDay:
    day: SessionDay
    attended: int
    percent: int | None
    is_future: bool


@dataclass(frozen=True)
class AttendanceGrid:
    days: list[GridDay]
    rows: list[GridRow]


def _percent(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


def session_attendance_totals(
    *, session: Session, today: date | None = None
) -> AttendanceGrid:
    """The attendance grid with days attended (present or late, as the completion
    rule counts them) and % per person and per day."""
    today = today or timezone.localdate()
    days, enrolments, statuses = session_attendance_grid(session=session)
    attended = set(Attendance.ATTENDED)
    rows = []
    for enrolment in enrolments:
        cells = [
            GridCell(day, statuses.get((enrolment.pk, day.pk), "")) for day in days
        ]
        count = sum(1 for cell in cells if cell.status in attended)
        percent = _percent(count, len(days))
        rows.append(
            GridRow(
                enrolment,
                cells,
                count,
                percent,
                percent is not None and percent < session.course.min_attendance_percent,
            )
        )
    grid_days = []
    for index, day in enumerate(days):
        count = sum(1 for row in rows if row.cells[index].status in attended)
        grid_days.append(
            GridDay(day, count, _percent(count, len(rows)), day.date > today)
        )
    return AttendanceGrid(grid_days, rows)


# A trainer's home ------------------------------------------------------------------

HOME_LIMIT = 5


@dataclass(frozen=True)
class TrainerHome:
    upcoming: list[Session]
    attendance_missing: list[Session]
    to_complete: list[Session]
    certificates_to_issue: list[Session]
    recent_imports: list

    @property
    def is_empty(self) -> bool:
        return not (
            self.upcoming
            or self.attendance_missing
            or self.to_complete
            or self.certificates_to_issue
            or self.recent_imports
        )


def trainer_home(*, user, today: date | None = None) -> TrainerHome:
    """What a trainer has to do next, from the sessions they may change: one query
    per list, none per session."""
    today = today or timezone.localdate()
    sessions = policy.sessions_changeable(user)
    open_sessions = sessions.exclude(
        status__in=[Session.Status.COMPLETED, Session.Status.CANCELLED]
    )
    upcoming = list(
        open_sessions.filter(starts_on__gte=today).order_by("starts_on")[:HOME_LIMIT]
    )
    # A past day on which nobody enrolled has any attendance mark.
    unmarked_day = SessionDay.objects.filter(
        session=OuterRef("pk"), date__lt=today
    ).exclude(Exists(Attendance.objects.filter(day=OuterRef("pk"))))
    attendance_missing = list(
        open_sessions.filter(Exists(unmarked_day)).order_by("starts_on")[:HOME_LIMIT]
    )
    to_complete = list(
        open_sessions.filter(ends_on__lt=today).order_by("ends_on")[:HOME_LIMIT]
    )
    uncertified = (
        trained_enrolments()
        .filter(session=OuterRef("pk"))
        # Certificates build on trainings: their status is read by its value.
        .exclude(certificates__status="valid")
    )
    certificates_to_issue = list(
        sessions.filter(status=Session.Status.COMPLETED)
        .filter(Exists(uncertified))
        .order_by("-ends_on")[:HOME_LIMIT]
    )
    imports = list(
        AuditEvent.objects.filter(
            action="import",
            object_type=Session._meta.label_lower,
            object_id__in=sessions.annotate(pk_text=Cast("pk", CharField())).values(
                "pk_text"
            ),
        ).order_by("-pk")[:HOME_LIMIT]
    )
    by_pk = sessions.in_bulk([int(event.object_id) for event in imports])
    recent_imports = [
        (event, by_pk[int(event.object_id)])
        for event in imports
        if int(event.object_id) in by_pk
    ]
    return TrainerHome(
        upcoming=upcoming,
        attendance_missing=attendance_missing,
        to_complete=to_complete,
        certificates_to_issue=certificates_to_issue,
        recent_imports=recent_imports,
    )


# Learning -------------------------------------------------------------------------


@dataclass(frozen=True)
class Learning:
    """What participants with both a pre- and a post-test score learned.

    Means are on the 0–100 score scale; shares are fractions of ``scored``.
    ``passed_share`` is None where the course sets no minimum post-test score."""

    scored: int = 0
    pre_mean: float | None = None
    post_mean: float | None = None
    gain_mean: float | None = None
    improved_share: float | None = None
    passed_share: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


# Learning bucket → Person.gender value (None: everyone).
LEARNING_BUCKETS = {"total": None, **GENDER_BUCKETS}


def _scored_participants(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    # A gain needs both tests: someone without both scores is not counted.
    return enrolments.filter(
        role=Enrolment.Role.PARTICIPANT,
        pre_score__isnull=False,
        post_score__isnull=False,
    )


def _learning_aggregates() -> dict:
    passed = Q(session__course__min_post_score__isnull=False) & Q(
        post_score__gte=F("session__course__min_post_score")
    )
    has_rule = Q(session__course__min_post_score__isnull=False)
    aggregates = {}
    for bucket, gender in LEARNING_BUCKETS.items():
        among = Q(person__gender=gender) if gender else Q()
        aggregates |= {
            f"{bucket}_scored": Count("pk", filter=among),
            f"{bucket}_pre": Avg("pre_score", filter=among),
            f"{bucket}_post": Avg("post_score", filter=among),
            f"{bucket}_gain": Avg(F("post_score") - F("pre_score"), filter=among),
            f"{bucket}_improved": Count(
                "pk", filter=among & Q(post_score__gt=F("pre_score"))
            ),
            f"{bucket}_ruled": Count("pk", filter=among & has_rule),
            f"{bucket}_passed": Count("pk", filter=among & passed),
        }
    return aggregates


def learning_by_gender(*, enrolments: QuerySet[Enrolment]) -> dict[str, Learning]:
    """``Learning`` of the participants among ``enrolments``, for everyone and per
    gender, in one query."""
    row = _scored_participants(enrolments).aggregate(**_learning_aggregates())
    return {bucket: _learning(row, bucket) for bucket in LEARNING_BUCKETS}


def learning_grouped(
    *, enrolments: QuerySet[Enrolment], by: str
) -> dict[int, dict[str, Learning]]:
    """``learning_by_gender`` of the participants among ``enrolments`` grouped by
    the field ``by`` (``session_id``, ``session__course_id``), in one query; groups
    without anyone scored are left out."""
    rows = (
        _scored_participants(enrolments)
        .order_by()
        .values(by)
        .annotate(**_learning_aggregates())
    )
    return {
        row[by]: {bucket: _learning(row, bucket) for bucket in LEARNING_BUCKETS}
        for row in rows
    }


def sessions_learning(*, sessions) -> dict[int, dict[str, Learning]]:
    """``learning_by_gender`` of each of many sessions, in one query."""
    ids = [session.pk for session in sessions]
    found = learning_grouped(
        enrolments=Enrolment.objects.filter(session_id__in=ids), by="session_id"
    )
    empty = {bucket: Learning() for bucket in LEARNING_BUCKETS}
    return {pk: found.get(pk, empty) for pk in ids}


def _learning(row: dict, bucket: str) -> Learning:
    scored, ruled = row[f"{bucket}_scored"], row[f"{bucket}_ruled"]
    if not scored:
        return Learning()

    def mean(key: str) -> float:
        return round(float(row[f"{bucket}_{key}"]), 1)

    return Learning(
        scored=scored,
        pre_mean=mean("pre"),
        post_mean=mean("post"),
        gain_mean=mean("gain"),
        improved_share=round(row[f"{bucket}_improved"] / scored, 3),
        passed_share=round(row[f"{bucket}_passed"] / ruled, 3) if ruled else None,
    )


def session_learning(*, session: Session) -> dict[str, Learning]:
    return sessions_learning(sessions=[session])[session.pk]


def learning_rows(learning: dict[str, Learning]) -> list[tuple[str, Learning]]:
    """(label, Learning) for tables: everyone, women and men always; other and not
    recorded when anyone in them has both scores (session page, Reports, exports)."""
    labels = {
        "total": _("Everyone"),
        "women": _("Women"),
        "men": _("Men"),
        "other": _("Other"),
        "not_recorded": _("Gender not recorded"),
    }
    return [
        (label, learning[bucket])
        for bucket, label in labels.items()
        if bucket in ("total", "women", "men") or learning[bucket].scored
    ]


def people_found_for(*, user, query: str, queryset=None) -> QuerySet[Person]:
    """The people ``user`` may choose (``queryset``, or all they see), found by
    name in Lao or Latin letters, organisation, and phone number for those who
    may see phone numbers: a masked number is never a key to a person."""
    return person_search(
        queryset=people_visible_to(user) if queryset is None else queryset,
        query=query,
        by_phone=policy.sees_phone_numbers(user),
        by_organisation=True,
    )


def people_to_enrol(*, session: Session, user, query: str = "") -> QuerySet[Person]:
    """Whom ``user`` may add to ``session``: the people they see, not yet in it."""
    people = people_visible_to(user).exclude(
        pk__in=session.enrolments.values("person_id")
    )
    return people_found_for(user=user, query=query, queryset=people).order_by(
        "full_name", "pk"
    )


# Trainer roster ---------------------------------------------------------------------


def qualifications_current(*, on: date | None = None) -> QuerySet[TrainerQualification]:
    """Roster rows that hold on ``on`` (today by default): from ``qualified_on``
    to ``until``, both included."""
    on = on or timezone.localdate()
    return TrainerQualification.objects.filter(qualified_on__lte=on).filter(
        Q(until__isnull=True) | Q(until__gte=on)
    )


def people_qualified_for(*, course: Course, on: date | None = None) -> set[int]:
    """Ids of the people qualified to lead ``course`` on ``on``."""
    return set(
        qualifications_current(on=on)
        .filter(course=course)
        .values_list("person_id", flat=True)
    )


# Follow-ups of trainees ---------------------------------------------------------


@dataclass(frozen=True)
class FollowUpSummary:
    """Follow-ups whose day has come: how many were done, and what the trainees
    said they did since. ``done_share`` is a fraction of ``due``."""

    due: int = 0
    done: int = 0
    unreachable: int = 0
    overdue: int = 0
    upcoming: int = 0
    used_yes: int = 0
    used_partly: int = 0
    used_no: int = 0
    people_trained: int = 0
    meetings_led: int = 0
    people_registered: int = 0

    @property
    def done_share(self) -> float | None:
        return round(self.done / self.due, 3) if self.due else None

    def as_dict(self) -> dict:
        return {**asdict(self), "done_share": self.done_share}


def trainee_follow_ups_summary(
    *, follow_ups: QuerySet[TraineeFollowUp], today: date | None = None
) -> FollowUpSummary:
    """``FollowUpSummary`` of the ``follow_ups`` due by ``today`` (and how many are
    still ahead), in one query."""
    today = today or timezone.localdate()
    status, use = TraineeFollowUp.Status, TraineeFollowUp.Use
    came = Q(due_on__lte=today)
    done = came & Q(status=status.DONE)
    row = follow_ups.aggregate(
        due=Count("pk", filter=came),
        done=Count("pk", filter=done),
        unreachable=Count("pk", filter=came & Q(status=status.UNREACHABLE)),
        overdue=Count("pk", filter=came & Q(status=status.DUE)),
        upcoming=Count("pk", filter=Q(due_on__gt=today)),
        used_yes=Count("pk", filter=done & Q(used_learning=use.YES)),
        used_partly=Count("pk", filter=done & Q(used_learning=use.PARTLY)),
        used_no=Count("pk", filter=done & Q(used_learning=use.NO)),
        people_trained=Sum("people_trained", filter=done),
        meetings_led=Sum("meetings_led", filter=done),
        people_registered=Sum("people_registered", filter=done),
    )
    return FollowUpSummary(**{name: value or 0 for name, value in row.items()})


def session_follow_ups(
    *, session: Session, today: date | None = None
) -> FollowUpSummary:
    return trainee_follow_ups_summary(
        follow_ups=TraineeFollowUp.objects.filter(enrolment__session=session),
        today=today,
    )


def trainee_follow_ups_in_order(
    follow_ups: QuerySet[TraineeFollowUp], *, today: date | None = None
) -> QuerySet[TraineeFollowUp]:
    """Overdue first, then those to do later, then those recorded; each by due date."""
    today = today or timezone.localdate()
    to_do = Q(status=TraineeFollowUp.Status.DUE)
    return follow_ups.annotate(
        urgency=Case(
            When(to_do & Q(due_on__lte=today), then=Value(0)),
            When(to_do, then=Value(1)),
            default=Value(2),
        )
    ).order_by("urgency", "due_on", "enrolment__person__full_name", "pk")
