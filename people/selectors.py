from django.db.models import Q, QuerySet

from common.phones import phone_key
from places.models import District

from .models import Person
from .normalise import name_key


def identity_keys(
    *,
    full_name: str = "",
    birth_year: int | None = None,
    district=None,
    phone: str = "",
) -> list[tuple]:
    """The one rule for "the same person", as the keys someone's details are found
    by, strongest first: the same phone number; or the same name, district and year
    of birth; or, when the details give no year of birth (a promoters' sheet, a
    sign-in sheet without it), the same name and district. Spelling variants that
    ``name_key`` and ``phone_key`` fold together are the same."""
    keys = []
    if phone and phone_key(phone):
        keys.append(("phone", phone_key(phone)))
    district_id = getattr(district, "pk", district)
    if full_name and name_key(full_name) and district_id:
        keys.append(("name", name_key(full_name), district_id, birth_year or None))
    return keys


def person_identity_keys(person: Person) -> list[tuple]:
    """The keys a registered person is found by (``identity_keys``)."""
    keys = []
    if person.phone_key:
        keys.append(("phone", person.phone_key))
    if person.name_key and person.district_id:
        keys.append(("name", person.name_key, person.district_id, None))
        if person.birth_year:
            keys.append(
                ("name", person.name_key, person.district_id, person.birth_year)
            )
    return keys


# Up to this many keys a query names each one; past it, one wider query (a deep
# OR of thousands of terms is more than SQLite parses).
IDENTITY_KEYS_EXACT = 50


def _identity_filter(keys: list[tuple]) -> Q:
    match = Q(pk__in=[])
    for key in keys:
        if key[0] == "phone":
            match |= Q(phone_key=key[1])
        else:
            _kind, key_of_name, district_id, birth_year = key
            same = Q(name_key=key_of_name, district_id=district_id)
            if birth_year:
                same &= Q(birth_year=birth_year)
            match |= same
    return match


def people_by_identity(keys: list[tuple]) -> QuerySet[Person]:
    """Everyone found by any of ``keys``, in one query whatever their number. Past
    a few keys (a sheet's rows) the query is wider than the keys (the same phones,
    or the same names in the same districts, any year): the caller keeps those
    whose ``person_identity_keys`` are among them."""
    if len(keys) <= IDENTITY_KEYS_EXACT:
        return Person.objects.filter(_identity_filter(keys))
    phones = {key[1] for key in keys if key[0] == "phone"}
    names = {key[1] for key in keys if key[0] == "name"}
    districts = {key[2] for key in keys if key[0] == "name"}
    return Person.objects.filter(
        Q(phone_key__in=phones) | Q(name_key__in=names, district_id__in=districts)
    )


def person_find_duplicates(
    *,
    full_name: str = "",
    birth_year: int | None = None,
    district: District | None = None,
    phone: str = "",
    exclude: Person | None = None,
) -> QuerySet[Person]:
    """Likely duplicates by the one rule (``identity_keys``)."""
    keys = identity_keys(
        full_name=full_name, birth_year=birth_year, district=district, phone=phone
    )
    people = people_by_identity(keys).select_related("organisation", "district")
    if exclude is not None and exclude.pk:
        people = people.exclude(pk=exclude.pk)
    return people.order_by("pk")


def person_search(
    *,
    queryset: QuerySet[Person],
    query: str,
    by_phone: bool = True,
    by_organisation: bool = False,
) -> QuerySet[Person]:
    """Search by name in Lao or Latin letters, or by phone number in any format
    (for those who may see phone numbers), or by organisation. Each word of the
    query must be found (in any of them): "ຄຳແພງ 12" finds "ນາງ ຄຳແພງ ອິນທະວົງ 12"."""
    query = query.strip()
    if not query:
        return queryset
    match = Q()
    for word in query.split():
        found = Q(full_name__icontains=word) | Q(latin_name__icontains=word)
        if name_key(word):
            found |= Q(name_key__contains=name_key(word))
        if by_organisation:
            found |= Q(organisation__name__icontains=word)
        match &= found
    digits = phone_key(query)
    if by_phone and len(digits) >= 4:
        match |= Q(phone_key__contains=digits)
    return queryset.filter(match)
