from django.db.models import Q, QuerySet

from places.models import District

from .models import Person
from .normalise import name_key, phone_key


def person_find_duplicates(
    *,
    full_name: str = "",
    birth_year: int | None = None,
    district: District | None = None,
    phone: str = "",
    exclude: Person | None = None,
) -> QuerySet[Person]:
    """Likely duplicates: the same phone, or the same name, birth year and district.

    Spelling variants that ``name_key`` and ``phone_key`` fold together match.
    """
    match = Q(pk__in=[])
    if phone and phone_key(phone):
        match |= Q(phone_key=phone_key(phone))
    if full_name and birth_year and district:
        match |= Q(
            name_key=name_key(full_name), birth_year=birth_year, district=district
        )
    people = Person.objects.filter(match).select_related("organisation", "district")
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
