from django.db.models import QuerySet

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
