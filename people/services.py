from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Person
from .normalise import name_key, phone_key

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
PERSON_FIELDS = {*PERSON_DETAILS, "user"}


def _person_prepare(person: Person, *, resolved_relations: bool = False) -> None:
    person.full_name = " ".join(person.full_name.split())
    person.latin_name = " ".join(person.latin_name.split())
    person.phone = person.phone.strip()
    if person.consent_given_on and not person.consent_notice_version:
        # Consent is to the notice in force when it was given.
        person.consent_notice_version = settings.SUKSA_PRIVACY_NOTICE_VERSION
    if person.village_id and not person.district_id:
        person.district = person.village.district
    if person.village_id and person.village.district_id != person.district_id:
        raise ValidationError(
            {"village": _("This village is not in the person's district.")}
        )
    person.name_key = name_key(person.full_name)
    person.phone_key = phone_key(person.phone)
    # Bulk imports look up organisations and places themselves, once per sheet.
    relations = ["organisation", "district", "village", "user", "created_by"]
    person.full_clean(exclude=relations if resolved_relations else None)


@transaction.atomic
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
    person = Person(full_name=full_name, created_by=created_by, **fields)
    _person_prepare(person, resolved_relations=True)
    return person


@transaction.atomic
def person_update(*, person: Person, **fields: Any) -> Person:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"person_update() got unknown fields: {sorted(unknown)}")
    if person.erased_at is not None:
        raise ValidationError(
            _("This person's data was erased at their request; it cannot be changed.")
        )
    for name, value in fields.items():
        setattr(person, name, value)
    _person_prepare(person)
    person.save()
    return person
