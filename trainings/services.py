"""Writing trainings: sessions, enrolments, attendance and completion."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from access.policy import historical_trainings_changeable, may, people_visible
from audit.history import history_bulk_create, history_bulk_update
from common.events import fields_changed, training_facts_announce
from common.numbers import short_date
from people.models import Person
from people.services import person_find_or_create
from periods.services import (
    day_ensure_happened,
    day_ensure_plausible,
    period_ensure_open,
    period_ensure_open_for,
)

from .completion import reasons_text, score_text
from .models import (
    Attendance,
    CodeSequence,
    Course,
    Enrolment,
    HistoricalTraining,
    Session,
    SessionDay,
    StudyStatus,
    TraineeFollowUp,
    TrainerQualification,
)
from .selectors import trained_enrolments

# Longer sessions (degree programmes) get no automatic daily attendance days.
MAX_AUTOMATIC_DAYS = 31

SESSION_FIELDS = {
    "course",
    "starts_on",
    "ends_on",
    "venue",
    "district",
    "village",
    "status",
    "capacity",
    "institution",
    "country",
    "expected_end_on",
}
# What is recorded per participant of a long or external programme.
STUDY_FIELDS = ("study_ended_on", "returned_on", "return_position")


def sequence_next(*, key: str) -> int:
    """The next number of a named sequence, locked until the caller's transaction ends.

    Call inside ``transaction.atomic``: a rollback returns the number, so numbers taken
    this way have no gaps and are never shared by concurrent writers.
    """
    sequence, _created = CodeSequence.objects.select_for_update().get_or_create(key=key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _next_code(prefix: str, year: int) -> str:
    return f"{prefix}-{year}-{sequence_next(key=f'session:{prefix}-{year}'):03d}"


# A course's fields, in the order the admin form shows them.
COURSE_FIELDS = (
    "title_lo",
    "title_en",
    "kind",
    "objectives",
    "hours",
    "min_attendance_percent",
    "min_post_score",
)
# What a course adds to the figures: its kind (the ToT figures, the cascade) and its
# completion rule (who completed, hence the certificates). Its titles add nothing.
COURSE_COUNTED_FIELDS = ("kind", "min_attendance_percent", "min_post_score")
# What the reports' facts copy from a course, a session and an enrolment
# (reports.facts): a write that changes none of them leaves the facts alone.
COURSE_COPIED_FIELDS = ("kind",)
SESSION_COPIED_FIELDS = ("ends_on", "district", "course")
ENROLMENT_COPIED_FIELDS = ("role", "status")


def course_ensure_open(*, course: Course) -> None:
    """Refuse a change of a course's kind or completion rule while one of its
    sessions is in an approved period of its district: the change would move that
    period's figures."""
    if not course.pk:
        return
    stored = Course.objects.filter(pk=course.pk).values(*COURSE_COUNTED_FIELDS).first()
    if stored is None or all(
        stored[name] == getattr(course, name) for name in COURSE_COUNTED_FIELDS
    ):
        return
    period_ensure_open_for(
        Session.objects.filter(course_id=course.pk),
        district="district",
        starts="starts_on",
        ends="ends_on",
    )


@transaction.atomic
def course_save(*, course: Course) -> Course:
    """Save a course edited in a form (admin or API)."""
    course.full_clean()
    course_ensure_open(course=course)
    stored = Course.objects.filter(pk=course.pk).values(*COURSE_COPIED_FIELDS).first()
    course.save()
    if fields_changed(stored, course, COURSE_COPIED_FIELDS):
        # Every graduate of the course: a task after the commit.
        training_facts_announce(course=course.pk)
    return course


def course_create(**fields) -> Course:
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"course_create() got unknown fields: {sorted(unknown)}")
    return course_save(course=Course(**fields))


def course_update(*, course: Course, **fields) -> Course:
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"course_update() got unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(course, name, value)
    return course_save(course=course)


def _session_validate(session: Session) -> None:
    if session.village_id and session.village.district_id != session.district_id:
        raise ValidationError(
            {"village": _("This village is not in the session's district.")}
        )
    session.full_clean(exclude=["code"])
    day_ensure_plausible(day=session.starts_on, field="starts_on")


def session_ensure_open(*, session: Session) -> None:
    """Refuse changes to a session whose dates, stored or new, are in an approved
    period of its district."""
    if session.pk:
        stored = (
            Session.objects.filter(pk=session.pk)
            .values("district_id", "starts_on", "ends_on")
            .first()
        )
        if stored:
            period_ensure_open(
                district=stored["district_id"],
                day=stored["starts_on"],
                until=stored["ends_on"],
            )
    period_ensure_open(
        district=session.district_id, day=session.starts_on, until=session.ends_on
    )


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Delete a session with its days, enrolments and attendance; refused while its
    dates are in an approved period of its district."""
    session_ensure_open(session=session)
    try:
        session.delete()
    except ProtectedError as error:
        raise ValidationError(
            _(
                "This session's participants hold certificates, so it cannot be "
                "deleted. Cancel the session instead."
            )
        ) from error


def session_ensure_days_movable(*, session: Session) -> None:
    """Refuse new dates that would drop days with attendance (on the dates fields,
    so a form shows it beside them)."""
    if session.pk is None or session.starts_on is None or session.ends_on is None:
        return
    if (session.ends_on - session.starts_on).days + 1 > MAX_AUTOMATIC_DAYS:
        return  # long sessions keep their days as they are (no sync)
    recorded = sorted(
        SessionDay.objects.filter(session=session, attendances__isnull=False)
        .exclude(date__range=(session.starts_on, session.ends_on))
        .values_list("date", flat=True)
        .distinct()
    )
    if recorded:
        message = _(
            "Attendance is recorded on %(dates)s, outside the new dates. "
            "Clear that attendance first."
        ) % {"dates": ", ".join(short_date(when) for when in recorded)}
        raise ValidationError({"starts_on": message, "ends_on": message})


def _session_sync_days(session: Session) -> None:
    """Give the session one day per date from start to end (short sessions only)."""
    if (session.ends_on - session.starts_on).days + 1 > MAX_AUTOMATIC_DAYS:
        return
    wanted = {
        session.starts_on + timedelta(days=offset)
        for offset in range((session.ends_on - session.starts_on).days + 1)
    }
    existing = {day.date: day for day in session.days.all()}
    outside = [day for when, day in existing.items() if when not in wanted]
    session_ensure_days_movable(session=session)
    SessionDay.objects.filter(pk__in=[day.pk for day in outside]).delete()
    SessionDay.objects.bulk_create(
        [
            SessionDay(session=session, date=when)
            for when in sorted(wanted - set(existing))
        ]
    )


# Lifecycle: "completed" is set only by the completion rule (session_complete) ----


def session_ensure_status_allowed(*, session: Session) -> None:
    """A session becomes completed only through ``session_complete``, which applies
    the course's completion rule to its participants; typing "completed" is
    refused."""
    if session.status != Session.Status.COMPLETED:
        return
    before = (
        Session.objects.filter(pk=session.pk).values_list("status", flat=True).first()
        if session.pk
        else None
    )
    if before != Session.Status.COMPLETED:
        raise ValidationError(
            {
                "status": _(
                    "A session is completed with “Complete the session”, which "
                    "applies the course's completion rule; it cannot be set by hand."
                )
            }
        )


def enrolment_ensure_status_allowed(*, enrolment: Enrolment) -> None:
    """A participant is "completed" only when the course's completion rule says so
    (attendance and post-test); other statuses may be set by hand."""
    if (
        enrolment.status != Enrolment.Status.COMPLETED
        or enrolment.role != Enrolment.Role.PARTICIPANT
    ):
        return
    if enrolment.pk and (
        Enrolment.objects.filter(pk=enrolment.pk)
        .values_list("status", flat=True)
        .first()
        == Enrolment.Status.COMPLETED
    ):
        return
    session = enrolment.session
    attended = (
        enrolment.attendances.filter(status__in=Attendance.ATTENDED).count()
        if enrolment.pk
        else 0
    )
    days = session.days.count() if session.pk else 0
    outcome = _completion_outcome(enrolment, session.course, days, attended)
    if not outcome.completed:
        raise ValidationError(
            {
                "status": _("%(person)s does not meet the completion rule: %(reason)s.")
                % {"person": enrolment.person, "reason": outcome.reason}
            }
        )


@transaction.atomic
def session_create(
    *,
    course: Course,
    starts_on: date,
    ends_on: date,
    district=None,
    created_by=None,
    partners: Iterable = (),
    funders: Iterable = (),
    projects: Iterable = (),
    led_by: Iterable[Person] = (),
    **fields,
) -> Session:
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise TypeError(f"session_create() got unknown fields: {sorted(unknown)}")
    session = Session(
        course=course,
        starts_on=starts_on,
        ends_on=ends_on,
        district=district,
        created_by=created_by,
        **fields,
    )
    _session_validate(session)
    session_ensure_status_allowed(session=session)
    session_ensure_open(session=session)
    session.code = _next_code(course.code_prefix, starts_on.year)
    session.save()
    session.partners.set(partners)
    session.funders.set(funders)
    session.projects.set(projects)
    session.led_by.set(led_by)
    _session_sync_days(session)
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    partners: Iterable | None = None,
    funders: Iterable | None = None,
    projects: Iterable | None = None,
    led_by: Iterable[Person] | None = None,
    **fields,
) -> Session:
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise TypeError(f"session_update() got unknown fields: {sorted(unknown)}")
    stored = _session_stored(session)
    for name, value in fields.items():
        setattr(session, name, value)
    _session_validate(session)
    session_ensure_status_allowed(session=session)
    session_ensure_open(session=session)
    session.save()
    if fields_changed(stored, session, SESSION_COPIED_FIELDS):
        training_facts_announce(sessions=[session.pk])
    relations = (("partners", partners), ("funders", funders), ("projects", projects))
    for relation, values in relations:
        if values is not None:
            getattr(session, relation).set(values)
    if led_by is not None:
        session.led_by.set(led_by)
    _session_sync_days(session)
    return session


@transaction.atomic
def session_save(*, session: Session, created_by=None, save_related=None) -> Session:
    """Save a session edited in the admin form (with its enrolments inline)."""
    _session_validate(session)
    session_ensure_status_allowed(session=session)
    session_ensure_open(session=session)
    if not session.pk:
        session.code = _next_code(session.course.code_prefix, session.starts_on.year)
        session.created_by = created_by
    stored = _session_stored(session)
    enrolled = _enrolments_copied(session)
    session.save()
    if save_related is not None:
        save_related()
    if fields_changed(stored, session, SESSION_COPIED_FIELDS):
        training_facts_announce(sessions=[session.pk])
    else:
        # The form's enrolments, saved or deleted by the admin's inline forms.
        changed = enrolled ^ _enrolments_copied(session)
        training_facts_announce(people=[person for person, *_copied in changed])
    _session_sync_days(session)
    return session


def _enrolments_copied(session: Session) -> set[tuple]:
    """(person id, role, status) of a session's enrolments: what the facts copy."""
    if not session.pk:
        return set()
    fields = ["person_id", *ENROLMENT_COPIED_FIELDS]
    return set(session.enrolments.values_list(*fields))


def _session_stored(session: Session) -> dict | None:
    """The stored values of what the facts copy from a session (None if new)."""
    if not session.pk:
        return None
    columns = [Session._meta.get_field(name).attname for name in SESSION_COPIED_FIELDS]
    return Session.objects.filter(pk=session.pk).values(*columns).first()


@dataclass(frozen=True)
class EnrolResult:
    enrolment: Enrolment
    person_created: bool
    enrolment_created: bool
    message: str


def _match_reason(person: Person, phone: str) -> str:
    from common.phones import phone_key

    if phone and person.phone_key and person.phone_key == phone_key(phone):
        return _("same phone number")
    return _("same name, year of birth and district")


@transaction.atomic
def enrolment_enrol(
    *,
    session: Session,
    full_name: str,
    role: str = Enrolment.Role.PARTICIPANT,
    created_by=None,
    **person_fields,
) -> EnrolResult:
    """Enrol someone by their details, reusing the registered person if one matches
    among the people ``created_by`` may see (anyone, for a system job); a match
    outside that scope is not revealed: a new person is registered, flagged as its
    possible duplicate."""
    person, person_created = person_find_or_create(
        among=people_visible(created_by) if created_by is not None else None,
        full_name=full_name,
        created_by=created_by,
        **person_fields,
    )
    enrolment, created = enrolment_add(session=session, person=person, role=role)
    if person_created:
        message = _("Registered %(person)s and enrolled them.") % {"person": person}
    else:
        message = _("Used the already registered %(person)s (%(reason)s).") % {
            "person": person,
            "reason": _match_reason(person, person_fields.get("phone", "")),
        }
    if not created:
        message += " " + _("They were already enrolled.")
    return EnrolResult(enrolment, person_created, created, message)


@transaction.atomic
def enrolment_add(
    *, session: Session, person: Person, role: str = Enrolment.Role.PARTICIPANT
) -> tuple[Enrolment, bool]:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled: no one can be enrolled."))
    existing = Enrolment.objects.filter(session=session, person=person).first()
    if existing is not None:
        return existing, False
    session_ensure_open(session=session)
    if role == Enrolment.Role.PARTICIPANT and session.capacity:
        # The session's row stays locked until the enrolment is stored, so parallel
        # enrolments count one after the other and never pass the capacity together.
        Session.objects.select_for_update().filter(pk=session.pk).first()
        taken = session.enrolments.filter(role=Enrolment.Role.PARTICIPANT).count()
        if taken >= session.capacity:
            raise ValidationError(
                _("The session is full (%(capacity)s participants).")
                % {"capacity": session.capacity}
            )
    enrolment = Enrolment(session=session, person=person, role=role)
    enrolment.full_clean(exclude=["session", "person"])
    enrolment.save()
    return enrolment, True


@transaction.atomic
def enrolment_add_people(*, session: Session, people: Iterable[Person]) -> int:
    """Enrol the people chosen as participants, all or none; those already
    enrolled are left as they are. Returns how many were enrolled. A session
    without room for all of them refuses, saying how many places are left."""
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled: no one can be enrolled."))
    session_ensure_open(session=session)
    Session.objects.select_for_update().filter(pk=session.pk).first()
    enrolled = set(session.enrolments.values_list("person_id", flat=True))
    new = [person for person in people if person.pk not in enrolled]
    if session.capacity:
        taken = session.enrolments.filter(role=Enrolment.Role.PARTICIPANT).count()
        if taken + len(new) > session.capacity:
            raise ValidationError(
                _(
                    "The session takes %(capacity)s participants and has %(taken)s: "
                    "there is room for %(room)s more, and %(chosen)s were chosen. "
                    "Nobody was enrolled."
                )
                % {
                    "capacity": session.capacity,
                    "taken": taken,
                    "room": max(session.capacity - taken, 0),
                    "chosen": len(new),
                }
            )
    for person in new:
        enrolment_add(session=session, person=person)
    return len(new)


@transaction.atomic
def enrolment_update(*, enrolment: Enrolment, **fields) -> Enrolment:
    allowed = {"role", "status", "pre_score", "post_score", *STUDY_FIELDS}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"enrolment_update() got unknown fields: {sorted(unknown)}")
    session_ensure_open(session=enrolment.session)
    copied = any(
        getattr(enrolment, name) != fields[name]
        for name in ENROLMENT_COPIED_FIELDS
        if name in fields
    )
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.full_clean(exclude=["session", "person"])
    enrolment_ensure_status_allowed(enrolment=enrolment)
    if set(fields) & set(STUDY_FIELDS):
        _study_validate(enrolment)
    enrolment.save()
    if copied:
        training_facts_announce(people=[enrolment.person_id])
    return enrolment


def _study_validate(enrolment: Enrolment) -> None:
    session = enrolment.session
    ended, returned = enrolment.study_ended_on, enrolment.returned_on
    if ended and ended < session.starts_on:
        raise ValidationError(
            _("%(person)s: the studies cannot end before the programme starts.")
            % {"person": enrolment.person}
        )
    if returned and ended and returned < ended:
        raise ValidationError(
            _("%(person)s: the return to post cannot be before the studies ended.")
            % {"person": enrolment.person}
        )
    day_ensure_happened(day=ended, field="study_ended_on")
    day_ensure_happened(day=returned, field="returned_on")


@transaction.atomic
def study_records_save(*, session: Session, records: Mapping[int, Mapping]) -> int:
    """Record, per participant of a long or external programme, the study status
    (stored as the enrolment's status: graduated is completed), when the studies
    ended and the return to post. All or none; returns how many changed."""
    enrolments = {e.pk: e for e in session.enrolments.select_related("person")}
    changed = 0
    for enrolment_id, record in records.items():
        enrolment = enrolments.get(enrolment_id)
        if enrolment is None:
            raise ValidationError(
                _("Enrolment %(id)s is not in this session.") % {"id": enrolment_id}
            )
        fields = {name: record[name] for name in STUDY_FIELDS}
        fields["status"] = StudyStatus.enrolment_status(record["study_status"])
        if all(getattr(enrolment, name) == value for name, value in fields.items()):
            continue
        enrolment_update(enrolment=enrolment, **fields)
        changed += 1
    return changed


@transaction.atomic
def attendance_record_day(*, day: SessionDay, statuses: Mapping[int, str]) -> int:
    """Record a whole day in one call: enrolment id → status ("" clears it)."""
    period_ensure_open(district=day.session.district_id, day=day.date)
    if any(statuses.values()):
        day_ensure_happened(day=day.date)
    valid = set(Attendance.Status.values) | {""}
    # Joined once: the field history names each record by its person and session.
    enrolments = {
        e.pk: e for e in day.session.enrolments.select_related("person", "session")
    }
    enrolment_ids = set(enrolments)
    for enrolment_id, status in statuses.items():
        if enrolment_id not in enrolment_ids:
            raise ValidationError(
                _("Enrolment %(id)s is not in this session.") % {"id": enrolment_id}
            )
        if status not in valid:
            raise ValidationError(
                _("“%(status)s” is not an attendance status.") % {"status": status}
            )
    existing = {
        a.enrolment_id: a
        for a in day.attendances.select_related(
            "enrolment__person", "enrolment__session"
        )
    }
    to_create, to_update, to_delete = [], [], []
    for enrolment_id, status in statuses.items():
        record = existing.get(enrolment_id)
        if not status:
            if record:
                to_delete.append(record.pk)
        elif record is None:
            to_create.append(
                Attendance(enrolment=enrolments[enrolment_id], day=day, status=status)
            )
        elif record.status != status:
            record.status = status
            to_update.append(record)
    history_bulk_create(Attendance, to_create)
    history_bulk_update(Attendance, to_update, ["status"])
    Attendance.objects.filter(pk__in=to_delete).delete()
    return len(to_create) + len(to_update) + len(to_delete)


@transaction.atomic
def attendance_record_session(
    *, session: Session, statuses: Mapping[int, Mapping[int, str]]
) -> int:
    """Record the attendance grid (day id → enrolment id → status) in one save."""
    days = {day.pk: day for day in session.days.all()}
    changed = 0
    for day_id, day_statuses in statuses.items():
        if day_id not in days:
            raise ValidationError(_("That day is not part of this session."))
        changed += attendance_record_day(day=days[day_id], statuses=day_statuses)
    return changed


@dataclass(frozen=True)
class CompletionOutcome:
    enrolment: Enrolment
    completed: bool
    reasons: list[dict]  # codes: trainings/completion.py

    @property
    def reason(self) -> str:
        """The reasons in the active language."""
        return reasons_text(self.reasons)


def _completion_outcome(
    enrolment: Enrolment, course: Course, days: int, attended: int
) -> CompletionOutcome:
    reasons, completed = [], True
    if days:
        percent = round(Decimal(attended * 100) / days)
        reason = {
            "code": "attendance",
            "attended": attended,
            "days": days,
            "percent": int(percent),
        }
        if percent < course.min_attendance_percent:
            completed = False
            reason["required"] = course.min_attendance_percent
        reasons.append(reason)
    if course.min_post_score is not None:
        required = score_text(course.min_post_score)
        if enrolment.post_score is None:
            completed = False
            reasons.append({"code": "no_post_test", "required": required})
        else:
            reason = {"code": "post_test", "score": score_text(enrolment.post_score)}
            if enrolment.post_score < course.min_post_score:
                completed = False
                reason["required"] = required
            reasons.append(reason)
    return CompletionOutcome(
        enrolment, completed, reasons or [{"code": "nothing_required"}]
    )


def session_completion_outcomes(*, session: Session) -> list[CompletionOutcome]:
    """What completing the session would decide for each participant, and why, as
    attendance and scores stand now; nothing is saved (the session page shows it
    before the trainer completes)."""
    days = session.days.count()
    enrolments = (
        session.enrolments.filter(role=Enrolment.Role.PARTICIPANT)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("person", "session")
        .annotate(
            attended=Count(
                "attendances", filter=Q(attendances__status__in=Attendance.ATTENDED)
            )
        )
        .order_by("person__full_name")
    )
    return [
        _completion_outcome(enrolment, session.course, days, enrolment.attended)
        for enrolment in enrolments
    ]


@transaction.atomic
def enrolment_scores_record(
    *, session: Session, scores: Mapping[int, Mapping[str, Decimal | None]]
) -> int:
    """Record the score grid (enrolment id → {"pre_score"/"post_score": score or
    None}) in one save: every change or none. Returns how many enrolments changed."""
    enrolments = {
        e.pk: e for e in session.enrolments.select_related("person", "session")
    }
    changed = 0
    for enrolment_id, values in scores.items():
        enrolment = enrolments.get(enrolment_id)
        if enrolment is None:
            raise ValidationError(
                _("Enrolment %(id)s is not in this session.") % {"id": enrolment_id}
            )
        different = {
            name: value
            for name, value in values.items()
            if getattr(enrolment, name) != value
        }
        if different:
            enrolment_update(enrolment=enrolment, **different)
            changed += 1
    return changed


@transaction.atomic
def session_complete(
    *, session: Session, today: date | None = None
) -> list[CompletionOutcome]:
    """Apply the course's completion rule to every participant and close the session."""
    today = today or timezone.localdate()
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("A cancelled session cannot be completed."))
    session_ensure_open(session=session)
    if session.ends_on > today:
        raise ValidationError(
            _("The session's last day (%(date)s) is still ahead: complete it after.")
            % {"date": short_date(session.ends_on)}
        )
    outcomes = session_completion_outcomes(session=session)
    for outcome in outcomes:
        outcome.enrolment.status = (
            Enrolment.Status.COMPLETED
            if outcome.completed
            else Enrolment.Status.NOT_COMPLETED
        )
        outcome.enrolment.completion_reasons = outcome.reasons
        outcome.enrolment.completion_note = ""
    history_bulk_update(
        Enrolment,
        [outcome.enrolment for outcome in outcomes],
        ["status", "completion_reasons", "completion_note"],
    )
    session.status = Session.Status.COMPLETED
    session.save(update_fields=["status"])
    qualifications_from_tot(session=session)
    training_facts_announce(
        people=[outcome.enrolment.person_id for outcome in outcomes]
    )
    trainee_follow_ups_ensure(sessions=[session], today=today)
    return outcomes


# Trainer roster ---------------------------------------------------------------------


@transaction.atomic
def qualifications_from_tot(*, session: Session) -> int:
    """Put a completed Training of Trainers' graduates on the roster for the courses
    its course qualifies for (``Course.qualifies_for``), from its last day. Run again
    after corrections: rows of people who no longer completed, or of courses no
    longer qualified for, go. Returns how many rows were added."""
    graduates = set(
        trained_enrolments(session=session).values_list("person_id", flat=True)
    )
    courses = set(session.course.qualifies_for.values_list("pk", flat=True))
    rows = TrainerQualification.objects.filter(session=session)
    stale = [
        row
        for row in rows
        if row.person_id not in graduates or row.course_id not in courses
    ]
    for row in stale:
        row.delete()
    kept = {(row.person_id, row.course_id) for row in rows if row not in stale}
    added = history_bulk_create(
        TrainerQualification,
        [
            TrainerQualification(
                person_id=person_id,
                course_id=course_id,
                qualified_on=session.ends_on,
                source=TrainerQualification.Source.TOT,
                session=session,
            )
            for person_id in sorted(graduates)
            for course_id in sorted(courses)
            if (person_id, course_id) not in kept
        ],
    )
    return len(added)


@transaction.atomic
def course_qualifies_for_set(*, course: Course, courses: Iterable[Course]) -> int:
    """Set the courses a ToT course qualifies its graduates to lead, and bring the
    roster in line for its sessions already completed. Returns the rows added."""
    course.qualifies_for.set(courses)
    return sum(
        qualifications_from_tot(session=session)
        for session in course.sessions.filter(status=Session.Status.COMPLETED)
    )


@transaction.atomic
def qualification_save(*, qualification: TrainerQualification) -> TrainerQualification:
    """An administrator adds or changes a roster row (ends it by setting ``until``)."""
    if qualification.session_id is None:
        qualification.source = TrainerQualification.Source.ADMINISTRATOR
    qualification.full_clean()
    qualification.save()
    return qualification


# Follow-ups of trainees at 3 and 6 months ---

# Only sessions that ended this recently get follow-ups: entering an old training
# does not fill the lists with follow-ups long overdue (docs/architecture.md).
FOLLOW_UP_WINDOW = relativedelta(months=6)


def follow_up_due_on(*, ends_on: date, months: int) -> date:
    return ends_on + relativedelta(months=months)


@transaction.atomic
def trainee_follow_ups_ensure(
    *, sessions: Iterable[Session] | None = None, today: date | None = None
) -> int:
    """Create the missing 3- and 6-month follow-ups of every participant who
    completed ``sessions`` (all sessions when None) that ended within the last six
    months; safe to run twice. Returns how many were created."""
    from .selectors import trained_enrolments

    today = today or timezone.localdate()
    enrolments = trained_enrolments(date_from=today - FOLLOW_UP_WINDOW, date_to=today)
    if sessions is not None:
        enrolments = enrolments.filter(session__in=[s.pk for s in sessions])
    existing = set(
        TraineeFollowUp.objects.filter(enrolment__in=enrolments).values_list(
            "enrolment_id", "months"
        )
    )
    follow_ups = [
        TraineeFollowUp(
            enrolment_id=enrolment_id,
            months=months,
            due_on=follow_up_due_on(ends_on=ends_on, months=months),
        )
        for enrolment_id, ends_on in enrolments.values_list("pk", "session__ends_on")
        for months in TraineeFollowUp.MONTHS
        if (enrolment_id, months) not in existing
    ]
    # A concurrent run may have made some: the unique constraint keeps one.
    TraineeFollowUp.objects.bulk_create(follow_ups, ignore_conflicts=True)
    return len(follow_ups)


def trainee_follow_up_ensure_recordable(
    *,
    follow_up: TraineeFollowUp,
    status: str,
    used_learning: str = "",
    today: date | None = None,
) -> None:
    """Refuse what cannot be recorded: no outcome, "done" without whether they
    used what they learned, or a day (today's, or that of the answer being
    corrected) in an approved period of the session's district."""
    today = today or timezone.localdate()
    if status not in (TraineeFollowUp.Status.DONE, TraineeFollowUp.Status.UNREACHABLE):
        raise ValidationError(
            {"status": _("Choose “Done” or “Could not be reached” to record it.")}
        )
    if status == TraineeFollowUp.Status.DONE and not used_learning:
        raise ValidationError(
            {
                "used_learning": _(
                    "Answer whether what was learned has been used: yes, partly or no."
                )
            }
        )
    district = follow_up.enrolment.session.district_id
    period_ensure_open(district=district, day=follow_up.recorded_on)
    period_ensure_open(district=district, day=today)


@transaction.atomic
def trainee_follow_up_record(
    *,
    follow_up: TraineeFollowUp,
    by,
    status: str,
    used_learning: str = "",
    people_trained: int | None = None,
    meetings_led: int | None = None,
    people_registered: int | None = None,
    comment: str = "",
    today: date | None = None,
) -> TraineeFollowUp:
    """Record what the trainee did since the session, or that nobody could reach
    them. The period lock applies to the day it is recorded (and to the day an
    earlier answer was recorded, when it is corrected), in the session's district."""
    today = today or timezone.localdate()
    trainee_follow_up_ensure_recordable(
        follow_up=follow_up, status=status, used_learning=used_learning, today=today
    )
    reached = status == TraineeFollowUp.Status.DONE
    follow_up.status = status
    follow_up.used_learning = used_learning if reached else ""
    follow_up.people_trained = people_trained if reached else None
    follow_up.meetings_led = meetings_led if reached else None
    follow_up.people_registered = people_registered if reached else None
    follow_up.comment = comment
    follow_up.recorded_on = today
    follow_up.recorded_by = by
    follow_up.full_clean()
    follow_up.save()
    return follow_up


# Historical trainings (totals only) ----------------------------------------------

# What a historical training records, in the order forms and lists show it.
HISTORICAL_FIELDS = (
    "course",
    "title",
    "starts_on",
    "ends_on",
    "district",
    "women",
    "men",
    "other",
    "not_recorded",
    "source",
    "note",
)


def _historical_ensure_valid(training: HistoricalTraining) -> None:
    if training.course_id is None and not training.title.strip():
        raise ValidationError(
            {"title": _("Choose the course, or write the training's title.")}
        )
    if not training.counts.total:
        raise ValidationError(
            {"women": _("Write how many people were trained (at least one).")}
        )
    day_ensure_happened(day=training.ends_on, field="ends_on")
    day_ensure_plausible(day=training.starts_on, field="starts_on")
    training.full_clean()


def _historical_ensure_open(training: HistoricalTraining) -> None:
    """It counts in its district, on its last day (as a session does): the period
    must be open."""
    period_ensure_open(district=training.district_id, day=training.ends_on)


def _historical_ensure_changeable(training: HistoricalTraining, user) -> None:
    if not historical_trainings_changeable(user).filter(pk=training.pk).exists():
        raise ValidationError(_("You may not change this record."))


@transaction.atomic
def historical_training_record(*, user, **fields) -> HistoricalTraining:
    """Record a past training known only as totals by gender."""
    if not may(user, "add", HistoricalTraining):
        raise ValidationError(_("You may not record historical trainings."))
    training = HistoricalTraining(recorded_by=user, **fields)
    _historical_ensure_valid(training)
    _historical_ensure_open(training)
    training.save()
    return training


@transaction.atomic
def historical_training_update(
    *, training: HistoricalTraining, user, **fields
) -> HistoricalTraining:
    unknown = set(fields) - set(HISTORICAL_FIELDS)
    if unknown:
        raise TypeError(f"historical_training_update() got {sorted(unknown)}")
    _historical_ensure_changeable(training, user)
    stored = HistoricalTraining.objects.select_for_update().get(pk=training.pk)
    _historical_ensure_open(stored)
    for name, value in fields.items():
        setattr(stored, name, value)
    _historical_ensure_valid(stored)
    _historical_ensure_open(stored)
    stored.save()
    return stored


@transaction.atomic
def historical_training_delete(*, training: HistoricalTraining, user) -> None:
    _historical_ensure_changeable(training, user)
    _historical_ensure_open(training)
    training.delete()
