"""Reading trainings: scoping by role, counts of people trained, the cascade."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from access import policy
from people.counts import GENDER_BUCKETS, GenderCounts, gender_counts
from people.models import Person

from .models import Course, Enrolment, Session

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
    enrolments = Enrolment.objects.filter(
        role=Enrolment.Role.PARTICIPANT, status=Enrolment.Status.COMPLETED
    )
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


def trained_counts(**filters) -> GenderCounts:
    return gender_counts(trained_people(**filters))


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


def _tot_graduates(people: set[int]) -> set[int]:
    return set(
        Enrolment.objects.filter(
            person_id__in=people,
            role=Enrolment.Role.PARTICIPANT,
            status=Enrolment.Status.COMPLETED,
            session__course__kind=Course.Kind.TOT,
        ).values_list("person_id", flat=True)
    )


def cascade_reach(
    *, session: Session | None = None, person: Person | None = None
) -> CascadeReach:
    """People trained downstream of a ToT session (its graduates) or of one person.

    Generation 1 are those who completed sessions led by the starting people; each
    generation's ToT graduates lead the next. Nobody is counted twice (the starting
    people included), so a cycle ends the walk.
    """
    if (session is None) == (person is None):
        raise TypeError("cascade_reach() needs exactly one of session or person")
    if session is not None:
        leaders = set(
            trained_enrolments(session=session).values_list("person_id", flat=True)
        )
        excluded_sessions = {session.pk}
    else:
        leaders, excluded_sessions = {person.pk}, set()
    seen = set(leaders)
    reach = CascadeReach()
    while leaders:
        reached = (
            set(
                trained_enrolments()
                .filter(session__led_by__in=leaders)
                .exclude(session__in=excluded_sessions)
                .values_list("person_id", flat=True)
            )
            - seen
        )
        if not reached:
            break
        seen |= reached
        reach.generations.append(gender_counts(Person.objects.filter(pk__in=reached)))
        leaders = _tot_graduates(reached)
    return reach
