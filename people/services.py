from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.history import history_bulk_create, history_bulk_update
from audit.services import audit_record
from common.events import fields_changed, training_facts_announce
from common.numbers import ascii_digits
from common.phones import phone_key
from periods.models import PeriodApproval
from periods.services import period_approvals_touching, period_refusal

from .models import Organisation, Person
from .normalise import name_key
from .selectors import identity_keys, people_by_identity, person_identity_keys

# A person's details, in the order forms, sheets and the API show them.
PERSON_DETAILS = (
    "full_name",
    "latin_name",
    "gender",
    "birth_year",
    "phone",
    "organisation",
    "position",
    "district",
    "village",
    "consent_given_on",
    "consent_method",
    "consent_notice_version",
)
PERSON_FIELDS = {*PERSON_DETAILS, "user", "possible_duplicate_of"}

# A person's gender and organisation (its kind) are copied into the figures of every
# session they completed and of every certificate they hold, and the approved lists
# of people trained show their organisation and district. So these three change only
# while none of those periods is approved: the period of each session they completed
# (the session's district and last day) and of each of their certificates (the
# session's district and the day it was issued, or revoked).
PERIOD_LOCKED_FIELDS = ("gender", "organisation", "district")
# What the reports' facts copy from a person (reports.facts): a change of anything
# else leaves their rows alone.
PERSON_COPIED_FIELDS = ("gender", "organisation")


def people_in_approved_periods(person_ids) -> dict[int, PeriodApproval]:
    """{person id: an approved period a change of their locked fields would move}."""
    # Enrolments belong to trainings, above this app: reached by name, not imported.
    enrolment = apps.get_model("trainings", "Enrolment")
    enrolments = enrolment.objects.filter(person__in=person_ids)
    found = period_approvals_touching(
        enrolments.filter(status=enrolment.Status.COMPLETED),
        district="session__district",
        starts="session__ends_on",
        key="person_id",
    )
    for day in (F("certificates__issued_on"), TruncDate("certificates__revoked_at")):
        found |= period_approvals_touching(
            enrolments.annotate(day=day),
            district="session__district",
            starts="day",
            key="person_id",
        )
    return found


def person_ensure_periods_open(*, person: Person) -> None:
    """Refuse the person's unsaved changes to gender, organisation or district while
    a period they count in is approved (``PERIOD_LOCKED_FIELDS``)."""
    if not person.pk:
        return
    columns = [Person._meta.get_field(name).attname for name in PERIOD_LOCKED_FIELDS]
    stored = Person.objects.filter(pk=person.pk).values(*columns).first()
    if stored is None or all(stored[c] == getattr(person, c) for c in columns):
        return
    approval = people_in_approved_periods([person.pk]).get(person.pk)
    if approval is not None:
        raise period_refusal(approval)


def _person_keys(person: Person) -> None:
    """The folded name and phone a person is found by (``identity_keys``); only
    this module computes them."""
    person.name_key = name_key(person.full_name)
    person.phone_key = phone_key(person.phone)


def _person_prepare(person: Person, *, resolved_relations: bool = False) -> None:
    person.full_name = " ".join(person.full_name.split())
    person.latin_name = " ".join(person.latin_name.split())
    person.phone = ascii_digits(person.phone.strip())
    if person.consent_given_on and not person.consent_notice_version:
        # Consent is to the notice in force when it was given.
        person.consent_notice_version = settings.SUKSA_PRIVACY_NOTICE_VERSION
    if person.village_id and not person.district_id:
        person.district = person.village.district
    if person.village_id and person.village.district_id != person.district_id:
        raise ValidationError(
            {"village": _("This village is not in the person's district.")}
        )
    _person_keys(person)
    # Bulk imports look up organisations and places themselves, once per sheet.
    # Without the relations (the one-to-one user among them), a person's only
    # unique field is the key, which a person being built has not got: there is
    # no uniqueness to check (``BULK_UNIQUE_FIELDS``; a test holds the model to it).
    relations = ["organisation", "district", "village", "user", "created_by"]
    person.full_clean(
        exclude=relations if resolved_relations else None,
        validate_unique=not resolved_relations,
    )


# Person's unique fields, which ``person_build`` does not check (see above).
BULK_UNIQUE_FIELDS = {"id", "user"}


@dataclass(frozen=True)
class PersonMatch:
    """Who someone's details match: a person the user may see (reuse them), or
    only someone outside their scope (register anew, flagged as a possible
    duplicate of that person, whom the user is never shown)."""

    person: Person | None = None
    outside: Person | None = None


def people_match(*, among: QuerySet[Person] | None, details: list[dict]) -> list:
    """``person_match`` for many people's details at once, in two queries whatever
    their number (a sheet's rows): one ``PersonMatch`` for each of ``details``
    (dicts of ``full_name``, ``birth_year``, ``district``, ``phone`` and
    ``exclude``)."""
    wanted = [
        identity_keys(
            full_name=one.get("full_name", ""),
            birth_year=one.get("birth_year"),
            district=one.get("district"),
            phone=one.get("phone", ""),
        )
        for one in details
    ]
    all_keys = list({key for keys in wanted for key in keys})
    candidates = list(people_by_identity(all_keys).order_by("pk")) if all_keys else []
    if among is None:
        visible = {person.pk for person in candidates}
    else:
        visible = set(
            among.filter(pk__in=[p.pk for p in candidates]).values_list("pk", flat=True)
        )
    found_by: dict[tuple, list[Person]] = {}
    for person in candidates:
        for key in person_identity_keys(person):
            found_by.setdefault(key, []).append(person)
    matches = []
    for one, keys in zip(details, wanted, strict=True):
        excluded = getattr(one.get("exclude"), "pk", None)
        found = [
            person
            for key in keys
            for person in found_by.get(key, [])
            if excluded is None or person.pk != excluded
        ]
        seen = next((person for person in found if person.pk in visible), None)
        if seen is not None:
            matches.append(PersonMatch(person=seen))
        else:
            matches.append(PersonMatch(outside=found[0] if found else None))
    return matches


def person_match(
    *,
    among: QuerySet[Person] | None,
    full_name: str = "",
    birth_year: int | None = None,
    district=None,
    phone: str = "",
    exclude: Person | None = None,
) -> PersonMatch:
    """The one rule for "the same person" (``people.selectors.identity_keys``),
    within ``among`` (the people the user may see: ``access.policy.people_visible``);
    ``None`` for system jobs, which see everyone. Every door that registers someone
    asks it: the admin form, the API, the sign-in sheet and promoters' imports,
    enrolment by details."""
    details = {
        "full_name": full_name,
        "birth_year": birth_year,
        "district": district,
        "phone": phone,
        "exclude": exclude,
    }
    return people_match(among=among, details=[details])[0]


def person_find_or_create(
    *, among: QuerySet[Person] | None, full_name: str, created_by=None, **fields
) -> tuple[Person, bool]:
    """(the person the details name, created): the one ``among`` matches, or a new
    record flagged as the possible duplicate of a match outside ``among``."""
    found = person_match(
        among=among,
        full_name=full_name,
        birth_year=fields.get("birth_year"),
        district=fields.get("district"),
        phone=fields.get("phone", ""),
    )
    if found.person is not None:
        return found.person, False
    person = person_create(
        full_name=full_name,
        created_by=created_by,
        possible_duplicate_of=found.outside,
        **fields,
    )
    return person, True


def person_register(
    *, among: QuerySet[Person] | None, full_name: str, created_by=None, **fields
) -> Person:
    """A new record, as asked (the API creates what it is sent); flagged as the
    possible duplicate of the person the rule finds, if any, for an
    administrator to merge."""
    found = person_match(
        among=among,
        full_name=full_name,
        birth_year=fields.get("birth_year"),
        district=fields.get("district"),
        phone=fields.get("phone", ""),
    )
    fields.setdefault("possible_duplicate_of", found.person or found.outside)
    return person_create(full_name=full_name, created_by=created_by, **fields)


def person_create(*, full_name: str, created_by=None, **fields: Any) -> Person:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"person_create() got unknown fields: {sorted(unknown)}")
    person = Person(full_name=full_name, created_by=created_by, **fields)
    _person_prepare(person)
    person.save()
    return person


def person_build(*, full_name: str, created_by=None, **fields: Any) -> Person:
    """An unsaved, validated person for bulk creation; relations already resolved."""
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"person_build() got unknown fields: {sorted(unknown)}")
    fields["created_by"] = created_by
    # An empty relation is given by its key's attribute: the same record, without
    # the related-object descriptor's checks (thousands of people a sheet).
    person = Person(
        full_name=full_name,
        **{
            _EMPTY_RELATIONS.get(name, name) if value is None else name: value
            for name, value in fields.items()
        },
    )
    _person_prepare(person, resolved_relations=True)
    return person


# A relation's name: the attribute of its key (``district``: ``district_id``).
_EMPTY_RELATIONS = {
    field.name: field.attname
    for field in Person._meta.concrete_fields
    if field.is_relation
}


@transaction.atomic
def person_update(*, person: Person, by=None, **fields: Any) -> Person:
    """Change a person's details; the audit trail names the fields changed (the field
    history keeps their values). ``by`` defaults to the signed-in user."""
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"person_update() got unknown fields: {sorted(unknown)}")
    if person.erased_at is not None:
        raise ValidationError(
            _("This person's data was erased at their request; it cannot be changed.")
        )
    stored = Person.objects.filter(pk=person.pk).values(*_columns(fields)).first()
    for name, value in fields.items():
        setattr(person, name, value)
    _person_prepare(person)
    person_ensure_periods_open(person=person)
    person.save()
    changed = sorted(
        name
        for name, column in zip(fields, _columns(fields), strict=True)
        if stored is None or stored[column] != getattr(person, column)
    )
    if set(changed) & set(PERSON_COPIED_FIELDS):
        training_facts_announce(people=[person.pk])
    if changed:
        audit_record(
            action="person.change",
            user=by,
            obj=person,
            summary=", ".join(changed),
        )
    return person


def _columns(fields) -> list[str]:
    return [Person._meta.get_field(name).attname for name in fields]


def people_create_many(people: list[Person]) -> list[Person]:
    """Save people built by ``person_build`` (a sheet's new rows) in one query,
    keeping their field history."""
    return history_bulk_create(Person, people)


def people_update_many(changes: list[tuple[Person, dict]]) -> None:
    """Change many people's details in one query (a sheet's rows): each
    ``(person, {field: value})``; their keys follow (``_person_keys``). The
    caller checked the values (``person_build``'s rules) and the approved periods
    (``people_in_approved_periods``)."""
    fields = {"name_key", "phone_key", "updated_at"}
    now = timezone.now()  # bulk_update leaves auto_now fields alone
    people, copied = [], []
    for person, values in changes:
        unknown = set(values) - PERSON_FIELDS
        if unknown:
            raise TypeError(f"people_update_many() got unknown fields: {unknown}")
        if _copied_change(person, values):
            copied.append(person.pk)
        for name, value in values.items():
            setattr(person, name, value)
        fields.update(values)
        _person_keys(person)
        person.updated_at = now
        people.append(person)
    if people:
        history_bulk_update(Person, people, sorted(fields), batch_size=500)
    training_facts_announce(people=copied)


def _copied_change(person: Person, values: dict) -> bool:
    """Whether these new values change a field the reports' facts copy."""
    for name in PERSON_COPIED_FIELDS:
        if name in values:
            old = getattr(person, Person._meta.get_field(name).attname)
            if old != getattr(values[name], "pk", values[name]):
                return True
    return False


def organisations_create_many(organisations: list[Organisation]) -> list:
    """Save new organisations (a sheet's, kind "other") in one query, keeping
    their field history; only this module writes organisations from imports."""
    return history_bulk_create(Organisation, organisations)


def organisation_build(*, name: str) -> Organisation:
    """An unsaved organisation a sheet names (kind "other"), for
    ``organisations_create_many``."""
    return Organisation(name=" ".join(name.split()), kind=Organisation.Kind.OTHER)


@transaction.atomic
def organisation_save(*, organisation: Organisation, save=None) -> Organisation:
    """Save an organisation edited in the admin (``save``: the form's own save, by
    default the model's). A change of kind moves its trained people between the
    reports' organisation kinds: refreshed by a task after the commit."""
    stored = (
        Organisation.objects.filter(pk=organisation.pk).values("kind").first()
        if organisation.pk
        else None
    )
    (save or organisation.save)()
    if fields_changed(stored, organisation, ["kind"]):
        training_facts_announce(organisation=organisation.pk)
    return organisation


def organisation_get_or_create(*, name: str, kind: str) -> Organisation:
    """The organisation called ``name``, created with ``kind`` if there is none."""
    return Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
