from django.db.models import QuerySet

from common.sheets import fold

from .models import District, Province, Village


def place_counts() -> dict[str, int]:
    return {
        "provinces": Province.objects.count(),
        "districts": District.objects.count(),
        "villages": Village.objects.count(),
    }


def district_list(*, province: Province | None = None) -> QuerySet[District]:
    districts = District.objects.select_related("province")
    if province is not None:
        districts = districts.filter(province=province)
    return districts


def villages_by_name(villages) -> dict[tuple[int, str], Village]:
    """{(district id, folded name): village} of ``villages``, by their Lao and
    English names, as every import looks a typed village up (``common.sheets.fold``).

    The one rule for a village an import names that is not in its district's
    list: it is never created unasked. The sign-in sheet lists such names in its
    preview, where the user leaves the village empty, picks one of the district's
    villages, or (if allowed) adds it through ``places.services``; the promoters'
    lists, whose village is required, refuse the row and say to add it under
    Places first."""
    return {
        (village.district_id, fold(name)): village
        for village in villages
        for name in (village.name_lo, village.name_en)
        if name
    }
