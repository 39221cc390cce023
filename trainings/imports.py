"""Service: import a filled sign-in sheet into a session, all or nothing.

Lookups are done once per sheet (people, places, organisations, enrolments,
attendance), so the number of queries does not grow with the number of rows.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.policy import may, people_visible, villages_choosable
from audit.history import (
    history_actor,
    history_bulk_insert,
    history_bulk_update,
)
from audit.services import audit_record
from common.events import training_facts_announce
from common.gc_pause import gc_paused
from common.phones import is_masked
from common.sheets import ErrorsShownMixin, RowError, SheetRefused, fold, sheet_read
from people.models import Organisation, Person
from people.normalise import name_key
from people.selectors import identity_keys, person_identity_keys
from people.services import (
    PERIOD_LOCKED_FIELDS,
    organisation_build,
    organisations_create_many,
    people_create_many,
    people_in_approved_periods,
    people_match,
    people_update_many,
    person_build,
)
from periods.services import period_refusal
from places.models import District, Village
from places.selectors import villages_by_name
from places.services import village_build, village_get_or_create

from .models import Attendance, Enrolment, Session
from .services import session_ensure_open
from .sheets import (
    COLUMNS_BY_KEY,
    SCORE_COLUMNS,
    gender_from_cell,
    mark_from_cell,
    score_from_cell,
    sheet_parse,
)

UPDATABLE = ("latin_name", "gender", "birth_year", "phone", "position")

# What a row does: a new person; a person already registered, newly enrolled in the
# session; an enrolled person whose details, attendance or scores change; nothing.
OUTCOMES = ("new", "enrolled", "updated", "unchanged")

# The choices for a village the sheet names but the district's list does not have.
VILLAGE_LEAVE_EMPTY = ""
VILLAGE_CREATE = "new"


@dataclass
class UnknownVillage:
    """A village name not in its district's list, the rows that give it, and what
    the importing user chose for it: leave the people's village empty (the
    default), one of the district's villages, or create it."""

    key: str
    district: District
    name: str
    rows: list[int] = field(default_factory=list)
    choices: list[Village] = field(default_factory=list)
    choice: str = VILLAGE_LEAVE_EMPTY
    may_create: bool = False
    village: Village | None = None

    @property
    def form_name(self) -> str:
        return f"village:{self.key}"

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "district": self.district.code,
            "district_name": self.district.name,
            "name": self.name,
            "rows": self.rows,
            "choices": [{"id": v.pk, "name": v.name} for v in self.choices],
            "may_create": self.may_create,
            "choice": self.choice,
        }


@dataclass
class RowPlan:
    number: int
    person: Person
    person_is_new: bool
    changes: dict = field(default_factory=dict)
    enrolment: Enrolment | None = None
    # The marks that change what is stored (all of them for a new enrolment).
    marks: dict[datetime.date, str] = field(default_factory=dict)
    # Test scores given in the sheet that change the stored ones (an empty cell
    # keeps the stored score).
    scores: dict[str, Decimal] = field(default_factory=dict)
    outcome: str = "unchanged"
    note: str = ""
    # What the row says, changed or not, for the preview.
    read_marks: dict[datetime.date, str] = field(default_factory=dict)
    read_scores: dict[str, Decimal] = field(default_factory=dict)
    unknown_village: UnknownVillage | None = None

    def changed_fields(self) -> list[str]:
        return list(self.changes)

    def as_dict(self) -> dict:
        return {
            "row": self.number,
            "name": self.person.full_name,
            "outcome": self.outcome,
            "changed_fields": self.changed_fields(),
            "attendance": {
                day.isoformat(): status for day, status in self.read_marks.items()
            },
            "attendance_changed": sorted(day.isoformat() for day in self.marks),
            "scores": {key: str(score) for key, score in self.read_scores.items()},
            "scores_changed": sorted(self.scores),
            "unknown_village": self.unknown_village.key
            if self.unknown_village
            else None,
        }


@dataclass
class ImportReport(ErrorsShownMixin):
    # ``new`` counts new people; ``enrolled`` people already registered whom the
    # sheet enrols; ``updated`` and ``unchanged`` people already enrolled.
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    enrolled: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    committed: bool = False
    days: list[datetime.date] = field(default_factory=list)
    unknown_villages: list[UnknownVillage] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error.as_dict() for error in self.errors_shown],
            "error_count": len(self.errors),
            "notes": self.notes,
            "committed": self.committed,
            "enrolled": self.enrolled,
            "days": [day.isoformat() for day in self.days],
            "rows": [plan.as_dict() for plan in self.rows],
            "unknown_villages": [v.as_dict() for v in self.unknown_villages],
        }

    def _zero(self) -> None:
        """Nothing will happen: no counts and no rows (the errors say why)."""
        self.new = self.updated = self.unchanged = self.enrolled = 0
        self.rows = []


class _Lookups:
    """Everything the rows refer to, loaded once."""

    def __init__(self, session: Session, rows, by=None, village_choices=None):
        self.session = session
        self.by = by
        self.districts: dict[str, list[District]] = {}
        for district in District.objects.select_related("province"):
            for name in {district.name_lo, district.name_en, district.code}:
                self.districts.setdefault(fold(name), []).append(district)
        # The villages a row may be placed in (the policy's choosable villages).
        villages = Village.objects if by is None else villages_choosable(by)
        self.district_villages: dict[int, list[Village]] = {}
        for village in villages.filter(district__in=self._district_ids(rows)):
            self.district_villages.setdefault(village.district_id, []).append(village)
        self.villages = villages_by_name(
            [v for found in self.district_villages.values() for v in found]
        )
        self.village_choices = village_choices or {}
        self.may_create_villages = by is None or may(by, "add", Village)
        self.unknown_villages: dict[str, UnknownVillage] = {}
        self.choice_errors: list[RowError] = []
        self.organisations = {fold(o.name): o for o in Organisation.objects.all()}
        # Session and person joined: the field history names each record.
        enrolments = list(session.enrolments.select_related("person", "session"))
        self.enrolments = {e.person_id: e for e in enrolments}
        # Within one session a name is enough: re-importing a sheet whose rows have
        # no phone or year of birth must find the same people again.
        # This rule is the session's, layered on the one rule for a person
        # (people.services.person_match), which is asked first.
        self.enrolled_by_name = {e.person.name_key: e.person for e in enrolments}
        self.days = {day.date: day for day in session.days.all()}
        self.attendance = {
            (a.enrolment_id, a.day.date): a
            for a in Attendance.objects.filter(day__session=session).select_related(
                "day", "enrolment__person", "enrolment__session"
            )
        }
        self.new_organisations: dict[str, Organisation] = {}
        self.today = timezone.localdate()
        # The sheet's new people by their identity keys: a later row with the
        # same phone, or name, year and district, is the same person (an error).
        self.new_people: dict[tuple, Person] = {}

    def unknown_village(self, district: District, text: str, row: int):
        """The village to put a row's person in for a name the district's list
        does not have, as the user chose (none, by default)."""
        key = f"{district.code}/{fold(text)}"
        unknown = self.unknown_villages.get(key)
        if unknown is None:
            unknown = UnknownVillage(
                key=key,
                district=district,
                name=" ".join(text.split()),
                choices=sorted(
                    self.district_villages.get(district.pk, []),
                    key=lambda v: v.name_lo,
                ),
                may_create=self.may_create_villages,
            )
            self._apply_choice(unknown, str(self.village_choices.get(key, "")))
            self.unknown_villages[key] = unknown
        unknown.rows.append(row)
        return unknown

    def _apply_choice(self, unknown: UnknownVillage, choice: str) -> None:
        """Check a choice against the district's villages and the policy."""
        choice = choice.strip()
        column = COLUMNS_BY_KEY["village"].header
        if choice == VILLAGE_LEAVE_EMPTY:
            return
        if choice == VILLAGE_CREATE:
            if not unknown.may_create:
                self.choice_errors.append(
                    RowError(
                        0,
                        column,
                        _(
                            "You may not add villages: choose one of %(district)s's "
                            "villages for “%(name)s”, or leave it empty."
                        )
                        % {"district": unknown.district.name, "name": unknown.name},
                    )
                )
                return
            unknown.choice = choice
            unknown.village = village_build(
                district=unknown.district, name_lo=unknown.name
            )
            return
        village = next((v for v in unknown.choices if str(v.pk) == choice), None)
        if village is None:
            self.choice_errors.append(
                RowError(
                    0,
                    column,
                    _(
                        "The village chosen for “%(name)s” is not one of "
                        "%(district)s's villages. Choose again."
                    )
                    % {"district": unknown.district.name, "name": unknown.name},
                )
            )
            return
        unknown.choice = choice
        unknown.village = village

    def _district_ids(self, rows) -> set[int]:
        ids = {self.session.district_id}
        for row in rows:
            for district in self.districts.get(
                fold(row.values.get("district", "")), []
            ):
                ids.add(district.pk)
        return ids


def _resolve_place(row, lookups: _Lookups, errors: list[RowError]):
    district_text = row.values.get("district", "")
    district = None
    if district_text:
        found = lookups.districts.get(fold(district_text), [])
        if len(found) != 1:
            message = (
                _(
                    "“%(value)s” is not a district we know. Use the district's name in "
                    "Lao or English, as in the list of districts."
                )
                if not found
                else _(
                    "“%(value)s” is the name of several districts: write the "
                    "4-digit district code instead."
                )
            )
            errors.append(
                RowError(
                    row.number,
                    COLUMNS_BY_KEY["district"].header,
                    message % {"value": district_text},
                )
            )
            return None, None
        district = found[0]
    village_text = row.values.get("village", "")
    if not village_text:
        return district, None
    district = district or lookups.session.district
    village = lookups.villages.get((district.pk, fold(village_text)))
    if village is None:
        return district, lookups.unknown_village(district, village_text, row.number)
    return district, village


def _match_people(rows, lookups: _Lookups, by) -> dict:
    """{row number: PersonMatch}: every row's person by the one rule
    (``people.services.people_match``), among the people ``by`` may see, in two
    queries for the whole sheet. A row whose district is unclear is matched by
    its phone only (its place is refused when the row is planned)."""
    details = []
    for row in rows:
        values = row.values
        found = lookups.districts.get(fold(values.get("district", "")), [])
        district = found[0] if len(found) == 1 else None
        if district is None and values.get("village") and not values.get("district"):
            district = lookups.session.district
        phone = values.get("phone", "")
        year = values.get("birth_year", "")
        details.append(
            {
                "full_name": values.get("full_name", ""),
                "birth_year": int(year) if year.isdigit() else None,
                "district": district,
                "phone": "" if is_masked(phone) else phone,
            }
        )
    among = None if by is None else people_visible(by)
    matched = people_match(among=among, details=details)
    return {row.number: match for row, match in zip(rows, matched, strict=True)}


def _resolve_organisation(row, lookups: _Lookups) -> Organisation | None:
    name = row.values.get("organisation", "")
    if not name:
        return None
    key = fold(name)
    organisation = lookups.organisations.get(key) or lookups.new_organisations.get(key)
    if organisation is None:
        organisation = lookups.new_organisations[key] = organisation_build(name=name)
    return organisation


def _person_values(row, district, village, organisation) -> dict:
    values = row.values
    return {
        "latin_name": values.get("latin_name", ""),
        "gender": gender_from_cell(values.get("gender", "")),
        "birth_year": int(values["birth_year"]) if values.get("birth_year") else None,
        # A masked number (from a template made for someone who may not see
        # numbers) carries no number: the stored one stays.
        "phone": "" if is_masked(values.get("phone", "")) else values.get("phone", ""),
        "position": values.get("position", ""),
        "organisation": organisation,
        "district": district,
        "village": village,
    }


def _plan_row(
    row, lookups: _Lookups, errors: list[RowError], by, matches
) -> RowPlan | None:
    place_errors: list[RowError] = []
    district, village = _resolve_place(row, lookups, place_errors)
    if place_errors:
        errors.extend(place_errors)
        return None
    unknown = None
    if isinstance(village, UnknownVillage):
        unknown, village = village, village.village
    organisation = _resolve_organisation(row, lookups)
    values = _person_values(row, district, village, organisation)
    full_name = row.values["full_name"]
    found = matches[row.number]
    keys = identity_keys(
        full_name=full_name,
        birth_year=values["birth_year"],
        district=district,
        phone=values["phone"],
    )
    person = found.person or next(
        (lookups.new_people[key] for key in keys if key in lookups.new_people), None
    )
    if person is None:
        person = lookups.enrolled_by_name.get(name_key(full_name))
    if person is None:
        outside = found.outside
        try:
            person = person_build(
                full_name=full_name,
                created_by=by,
                possible_duplicate_of=outside,
                **values,
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                column = COLUMNS_BY_KEY.get(field_name)
                errors.append(
                    RowError(
                        row.number,
                        column.header if column else field_name,
                        " ".join(messages),
                    )
                )
            return None
        plan = RowPlan(row.number, person, person_is_new=True, outcome="new")
        for key in person_identity_keys(person):
            lookups.new_people.setdefault(key, person)
    else:
        plan = RowPlan(row.number, person, person_is_new=False)
        plan.changes = _person_changes(person, values)
    plan.unknown_village = unknown
    plan.enrolment = lookups.enrolments.get(person.pk) if person.pk else None
    # An empty cell for a day still to come is no mark at all (a template printed
    # before the session ends has them); a mark there is refused (sheets.py).
    today = lookups.today
    plan.marks = {
        when: mark_from_cell(mark)
        for when, mark in row.marks.items()
        if mark or when <= today
    }
    plan.scores = {
        key: score_from_cell(row.values[key])
        for key in SCORE_COLUMNS
        if row.values.get(key)
    }
    plan.read_marks = dict(plan.marks)
    plan.read_scores = dict(plan.scores)
    return plan


def _person_changes(person: Person, values: dict) -> dict:
    changes = {
        name: values[name]
        for name in UPDATABLE
        if values[name] not in ("", None, "not_recorded")
        and getattr(person, name) != values[name]
    }
    for name in ("organisation", "district", "village"):
        if (
            values[name] is not None
            and getattr(person, f"{name}_id") != values[name].pk
        ):
            changes[name] = values[name]
    return changes


def _attendance_changes(plan: RowPlan, lookups: _Lookups) -> dict:
    enrolment_id = plan.enrolment.pk if plan.enrolment else None
    changed = {}
    for when, status in plan.marks.items():
        existing = lookups.attendance.get((enrolment_id, when))
        if existing is None or existing.status != status:
            changed[when] = status
    return changed


def _score_changes(plan: RowPlan) -> dict[str, Decimal]:
    if plan.enrolment is None:
        return plan.scores
    return {
        key: score
        for key, score in plan.scores.items()
        if getattr(plan.enrolment, key) != score
    }


def _check_duplicates_in_sheet(plans: list[RowPlan], errors: list[RowError]) -> None:
    seen: dict[int, int] = {}
    for plan in plans:
        key = id(plan.person)
        if key in seen:
            errors.append(
                RowError(
                    plan.number,
                    COLUMNS_BY_KEY["full_name"].header,
                    _(
                        "Same person as row %(row)s (same phone number or same name, "
                        "year of birth and district)."
                    )
                    % {"row": seen[key]},
                )
            )
        seen.setdefault(key, plan.number)


def _check_approved_periods(plans: list[RowPlan], errors: list[RowError]) -> None:
    """A row may not change the gender, organisation or district of someone who
    counts in an approved period (``people.services.PERIOD_LOCKED_FIELDS``)."""
    locking = {
        plan.person.pk: plan
        for plan in plans
        if set(plan.changes) & set(PERIOD_LOCKED_FIELDS)
    }
    if not locking:
        return
    for person_id, approval in people_in_approved_periods(list(locking)).items():
        plan = locking[person_id]
        column = next(name for name in PERIOD_LOCKED_FIELDS if name in plan.changes)
        errors.append(
            RowError(
                plan.number,
                COLUMNS_BY_KEY[column].header,
                " ".join(period_refusal(approval).messages),
            )
        )


@gc_paused()
def sheet_import(
    *,
    session: Session,
    content: bytes,
    filename: str,
    dry_run: bool,
    by=None,
    village_choices: dict[str, str] | None = None,
) -> ImportReport:
    """Read, check and (unless ``dry_run``) save a sheet; any error saves nothing.

    A village the sheet names that is not in its district's list is never created
    unasked: ``village_choices`` maps its key (``UnknownVillage.key``) to
    ``"new"`` (create it), a village id of that district, or ``""`` (leave the
    people's village empty, the default)."""
    report = ImportReport()
    try:
        session_ensure_open(session=session)
    except ValidationError as refusal:
        report.errors.append(RowError(0, "", " ".join(refusal.messages)))
        return report
    try:
        parsed = sheet_parse(
            rows=sheet_read(content=content, filename=filename), session=session
        )
    except SheetRefused as refusal:
        report.errors.append(RowError(0, "", str(refusal)))
        return report
    if parsed.errors:
        report.errors = parsed.errors
        return report
    lookups = _Lookups(session, parsed.rows, by, village_choices)
    matches = _match_people(parsed.rows, lookups, by)
    plans = [
        plan
        for row in parsed.rows
        if (plan := _plan_row(row, lookups, report.errors, by, matches)) is not None
    ]
    report.errors += lookups.choice_errors
    report.days = sorted(parsed.day_columns)
    report.unknown_villages = list(lookups.unknown_villages.values())
    _check_duplicates_in_sheet(plans, report.errors)
    _check_approved_periods(plans, report.errors)
    _classify(plans, lookups, report)
    _check_capacity(session, plans, lookups, report)
    if report.errors:
        report._zero()
        return report
    report.notes += _notes(lookups)
    if not dry_run:
        try:
            with history_actor(by):
                _write(session, plans, lookups, by)
        except ValidationError as refusal:
            report.errors.append(RowError(0, "", " ".join(refusal.messages)))
            report._zero()
            return report
        report.committed = True
        audit_record(
            action="import",
            user=by,
            obj=session,
            summary=f"sign-in sheet: {len(plans)} rows",
        )
    return report


def _classify(plans: list[RowPlan], lookups: _Lookups, report: ImportReport) -> None:
    for plan in plans:
        plan.marks = _attendance_changes(plan, lookups)
        plan.scores = _score_changes(plan)
        if plan.person_is_new:
            plan.outcome = "new"
            report.new += 1
        elif plan.enrolment is None:
            plan.outcome = "enrolled"
            report.enrolled += 1
        elif plan.changes or plan.marks or plan.scores:
            plan.outcome = "updated"
            report.updated += 1
        else:
            plan.outcome = "unchanged"
            report.unchanged += 1
        report.rows.append(plan)


def _over_capacity(session, plans, enrolled: int) -> str:
    """The refusal when the sheet's new people would overfill the session."""
    total = enrolled + sum(1 for plan in plans if plan.enrolment is None)
    if not session.capacity or total <= session.capacity:
        return ""
    return _(
        "The session takes %(capacity)s participants; this sheet would make %(total)s."
    ) % {"capacity": session.capacity, "total": total}


def _check_capacity(session, plans, lookups, report) -> None:
    enrolled = sum(
        1 for e in lookups.enrolments.values() if e.role == Enrolment.Role.PARTICIPANT
    )
    refusal = _over_capacity(session, plans, enrolled)
    if refusal:
        report.errors.append(RowError(0, "", refusal))


def _notes(lookups: _Lookups) -> list[str]:
    notes = []
    for unknown in lookups.unknown_villages.values():
        values = {
            "village": unknown.name,
            "district": unknown.district.name,
            "rows": ", ".join(str(number) for number in unknown.rows),
        }
        if unknown.choice == VILLAGE_CREATE:
            note = _("New village %(village)s in %(district)s will be added.")
        elif unknown.village is not None:
            values["chosen"] = unknown.village.name
            note = _(
                "“%(village)s” (%(district)s, rows %(rows)s) will be recorded as "
                "%(chosen)s."
            )
        else:
            note = _(
                "“%(village)s” is not one of %(district)s's villages (rows "
                "%(rows)s): it will not be added, and the village is left empty "
                "unless you choose one."
            )
        notes.append(note % values)
    notes += [
        _("New organisation “%(name)s” will be added (kind: other).") % {"name": o.name}
        for o in lookups.new_organisations.values()
    ]
    return notes


@transaction.atomic
def _write(session: Session, plans: list[RowPlan], lookups: _Lookups, by) -> None:
    Session.objects.select_for_update().filter(pk=session.pk).first()
    # Counted again under the lock: someone may have enrolled since the preview.
    enrolled = session.enrolments.filter(role=Enrolment.Role.PARTICIPANT).count()
    refusal = _over_capacity(session, plans, enrolled)
    if refusal:
        raise ValidationError(refusal)
    _create_chosen_villages(lookups)
    # Organisations, people and villages only through their apps' services; the
    # bulk saves take the new villages' and organisations' keys from the objects.
    organisations_create_many(list(lookups.new_organisations.values()))
    people_create_many([p.person for p in plans if p.person_is_new])
    changed = [(plan.person, plan.changes) for plan in plans if plan.changes]
    people_update_many(changed)
    _write_scores(plans)
    _write_attendance(plans, lookups, _write_enrolments(session, plans))
    # Scores, enrolments and attendance written in bulk: the session's facts and
    # the figures' version follow.
    training_facts_announce(sessions=[session.pk])


def _create_chosen_villages(lookups: _Lookups) -> None:
    """The villages the user chose to create, through the places service; the
    people planned in them take their keys from these objects."""
    for unknown in lookups.unknown_villages.values():
        if unknown.choice != VILLAGE_CREATE:
            continue
        village = village_get_or_create(district=unknown.district, name_lo=unknown.name)
        unknown.village.pk = village.pk
        unknown.village._state.adding = False
        unknown.village._state.db = village._state.db


def _write_scores(plans: list[RowPlan]) -> None:
    """The changed test scores of people already enrolled, in one update."""
    changed = []
    for plan in plans:
        if plan.enrolment is not None and plan.scores:
            for key, score in plan.scores.items():
                setattr(plan.enrolment, key, score)
            changed.append(plan.enrolment)
    history_bulk_update(Enrolment, changed, list(SCORE_COLUMNS), batch_size=500)


def _write_enrolments(session: Session, plans: list[RowPlan]) -> dict:
    """The new enrolments, as rows of values (building a record each costs more
    than writing it): {row number: (the enrolment's key, its name)}."""
    new = [plan for plan in plans if plan.enrolment is None]
    rows = [
        {
            "session_id": session.pk,
            "person_id": plan.person.pk,
            **{key: plan.scores.get(key) for key in SCORE_COLUMNS},
        }
        for plan in new
    ]
    names = [Enrolment.name_of(plan.person, session.code) for plan in new]
    keys = history_bulk_insert(Enrolment, rows, names)
    return {
        plan.number: (key, name)
        for plan, key, name in zip(new, keys, names, strict=True)
    }


def _write_attendance(plans: list[RowPlan], lookups: _Lookups, new_enrolments) -> None:
    """The new marks as rows of values, the changed ones as records; the new
    enrolments are ``_write_enrolments``'s."""
    rows, names, to_update = [], [], []
    # Each day's name once, not once a mark.
    day_names = {when: str(day) for when, day in lookups.days.items()}
    labels = Attendance.status_labels()
    for plan in plans:
        if plan.enrolment is None:
            enrolment_id, enrolment_name = new_enrolments[plan.number]
        else:
            enrolment_id, enrolment_name = plan.enrolment.pk, None
        for when, status in plan.marks.items():
            existing = lookups.attendance.get((enrolment_id, when))
            if existing is None:
                day = lookups.days[when]
                enrolment_name = enrolment_name or str(plan.enrolment)
                rows.append(
                    {"enrolment_id": enrolment_id, "day_id": day.pk, "status": status}
                )
                names.append(
                    Attendance.name_of(enrolment_name, day_names[when], status, labels)
                )
            elif existing.status != status:
                existing.status = status
                to_update.append(existing)
    history_bulk_insert(Attendance, rows, names, batch_size=1000)
    history_bulk_update(Attendance, to_update, ["status"], batch_size=1000)
