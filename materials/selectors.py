"""Reads of the materials library: visibility, finding, download counts, languages."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils.translation import get_language, get_language_info
from wagtail.models import PageViewRestriction
from wagtail.search.query import And, Phrase, PlainText

from cms.selectors import page_in_language
from common.text import query_parts

from .models import Audience, Download, MaterialPage, Topic

PAGE_SIZE = 12
SEARCH_LIMIT = 500
FILTER_NAMES = ("topic", "audience", "kind", "language", "q")


def _user_passes(restriction: PageViewRestriction, user) -> bool:
    """Whether a user (not a request: no password session) passes a restriction."""
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return user.is_authenticated
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        allowed = {group.pk for group in restriction.groups.all()}
        return bool(allowed & set(user.groups.values_list("pk", flat=True)))
    return False  # a password restriction is passed per browser session only


def materials_visible_to(user, *, language: str | None = None) -> QuerySet:
    """Live material pages the user may read (restricted ones only for those allowed).

    ``language`` limits to one locale of the page tree ("lo" or "en").
    """
    queryset = MaterialPage.objects.live()
    if language:
        queryset = queryset.filter(locale__language_code=language)
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related(
        "groups"
    )
    hidden = Q()
    for restriction in restrictions:
        if not _user_passes(restriction, user):
            hidden |= Q(path__startswith=restriction.page.path)
    return queryset.exclude(hidden) if hidden else queryset


def materials_filter(
    queryset: QuerySet,
    *,
    topic: str = "",
    audience: str = "",
    kind: str = "",
    language: str = "",
) -> QuerySet:
    """Narrow ``queryset`` by a topic or audience slug, a kind and a language."""
    if topic:
        queryset = queryset.filter(topics__slug=topic)
    if audience:
        queryset = queryset.filter(audiences__slug=audience)
    if kind:
        queryset = queryset.filter(kind=kind)
    if language:
        queryset = queryset.filter(language=language)
    return queryset


def materials_search(queryset: QuerySet, query: str) -> QuerySet:
    """Materials of ``queryset`` containing every part of ``query``, best first.

    Lao in the query is looked for as a run of letters anywhere in a material, so a
    part of a compound word (ປະກັນ in ປະກັນສັງຄົມ) is found; other words as words
    (``common.text``, docs/materials-search.md).
    """
    parts = query_parts(query)
    if not parts:
        return queryset
    subqueries = [Phrase(phrase) for phrase in parts.phrases]
    if parts.words:
        subqueries.append(PlainText(" ".join(parts.words), operator="and"))
    search_query = subqueries[0] if len(subqueries) == 1 else And(subqueries)
    results = MaterialPage.objects.live().search(search_query)
    ranked = [page.pk for page in results[:SEARCH_LIMIT]]
    if not ranked:
        return queryset.none().annotate(search_rank=Value(0))
    rank = Case(
        *[When(pk=pk, then=position) for position, pk in enumerate(ranked)],
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=ranked).annotate(search_rank=rank)


def _ordered(queryset: QuerySet, *, searched: bool) -> QuerySet:
    newest = ("-published_date", "-first_published_at", "title")
    if searched:
        return queryset.order_by("search_rank", *newest)
    return queryset.order_by(*newest)


def _with_download_totals(queryset: QuerySet) -> QuerySet:
    totals = (
        Download.objects.filter(page=OuterRef("pk"))
        .order_by()
        .values("page")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(
        download_total=Coalesce(Subquery(totals, output_field=IntegerField()), 0)
    )


def _clean_filters(params) -> dict[str, str]:
    filters = {name: params.get(name, "").strip()[:200] for name in FILTER_NAMES}
    if filters["kind"] not in MaterialPage.Kind.values:
        filters["kind"] = ""
    if filters["language"] not in dict(settings.LANGUAGES):
        filters["language"] = ""
    return filters


def _page_url(filters: dict[str, str], number: int) -> str:
    chosen = {name: value for name, value in filters.items() if value}
    if number > 1:
        chosen["page"] = number
    return "?" + urlencode(chosen) if chosen else "?"


def material_index_context(*, index_page, request) -> dict:
    """Everything the library page shows (see ``MaterialIndexPage``'s docstring)."""
    filters = _clean_filters(request.GET)
    queryset = materials_visible_to(request.user).child_of(index_page)
    queryset = materials_filter(
        queryset,
        topic=filters["topic"],
        audience=filters["audience"],
        kind=filters["kind"],
        language=filters["language"],
    )
    if filters["q"]:
        queryset = materials_search(queryset, filters["q"])
    queryset = _ordered(queryset, searched=bool(filters["q"])).distinct()
    queryset = _with_download_totals(queryset).select_related("cover_image")
    paginator = Paginator(queryset, PAGE_SIZE)
    materials = paginator.get_page(request.GET.get("page"))
    page_links = [
        {
            "number": number,
            "url": None if number == Paginator.ELLIPSIS else _page_url(filters, number),
            "current": number == materials.number,
        }
        for number in paginator.get_elided_page_range(
            materials.number, on_each_side=1, on_ends=1
        )
    ]
    return {
        "materials": materials,
        "paginator": paginator,
        "result_count": paginator.count,
        "filters": filters,
        "is_filtered": any(filters.values()),
        "topics": list(Topic.objects.all()),
        "audiences": list(Audience.objects.all()),
        "kinds": list(MaterialPage.Kind.choices),
        "languages": [(code, _language_name(code)) for code, _ in settings.LANGUAGES],
        "page_links": page_links,
        "previous_url": _page_url(filters, materials.previous_page_number())
        if materials.has_previous()
        else None,
        "next_url": _page_url(filters, materials.next_page_number())
        if materials.has_next()
        else None,
    }


def _language_name(code: str) -> str:
    return get_language_info(code)["name_local"]


def material_page_context(*, page: MaterialPage, request) -> dict:
    """Everything a material's page shows (see ``MaterialPage``'s docstring)."""
    own_language = page.locale.language_code
    language_links = []
    for code, _name in settings.LANGUAGES:
        target, is_fallback = page_in_language(page, code)
        url = target.get_url(request)
        if is_fallback:
            url = f"{url}?{urlencode({'fallback': code})}"
        language_links.append(
            {
                "code": code,
                "name": _language_name(code),
                "url": url,
                "current": code == own_language,
                "is_fallback": is_fallback,
            }
        )
    fallback_from = request.GET.get("fallback")
    if fallback_from not in dict(settings.LANGUAGES) or fallback_from == own_language:
        fallback_from = None
    return {
        "files": list(page.files.select_related("document")),
        "download_count": download_count(page=page),
        "topics": list(page.topics.all()),
        "audiences": list(page.audiences.all()),
        "related_courses": list(page.related_courses.all()),
        "kind_name": page.get_kind_display(),
        "language_name": page.get_language_display(),
        "language_links": language_links,
        "fallback_from": fallback_from,
        "fallback_from_name": _language_name(fallback_from) if fallback_from else None,
        "index_page": page.get_parent().specific,
    }


def download_count(*, page: MaterialPage) -> int:
    """How many times the files of this material (this language version) were
    downloaded."""
    return Download.objects.filter(page=page).count()


@dataclass
class DownloadCounts:
    """Download counts for a period and place; every list is sorted, largest first
    where that is useful."""

    total: int = 0
    by_material: list[dict] = field(default_factory=list)
    by_month: list[dict] = field(default_factory=list)
    by_district: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)


def downloads_in(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    district=None,
    province=None,
    linked: Q | None = None,
) -> QuerySet:
    """Downloads between two dates (inclusive, local time) in a district or
    province; ``linked``, a condition on the material's partners, funders and
    projects (``reports.filters.ReportFilters.linked``)."""
    queryset = Download.objects.all()
    if linked is not None:
        queryset = queryset.filter(
            page__in=MaterialPage.objects.filter(linked).values("pk")
        )
    if date_from:
        queryset = queryset.filter(at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(at__date__lte=date_to)
    if district is not None:
        queryset = queryset.filter(district=district)
    if province is not None:
        queryset = queryset.filter(district__province=province)
    return queryset.order_by()


def download_counts(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    district=None,
    province=None,
    linked: Q | None = None,
) -> DownloadCounts:
    """Total downloads, and per material, per month, per district, and per
    (month, district, material) for reports and the admin listing.

    Each entry is a dict with ``count`` and its keys: ``page_id``/``title``/
    ``language`` for materials, ``month`` (first day, a date) and
    ``district_id``/``district`` (None: not known, e.g. anonymous downloads).
    """
    queryset = downloads_in(
        date_from=date_from,
        date_to=date_to,
        district=district,
        province=province,
        linked=linked,
    ).annotate(month=TruncMonth("at"))
    rows = list(
        queryset.values(
            "month",
            "page_id",
            "page__title",
            "page__locale__language_code",
            "district_id",
            "district__name_lo",
            "district__name_en",
        )
        .annotate(count=Count("pk"))
        .order_by("month", "page__title", "district__name_en")
    )
    return _counts_from_rows(rows)


def _counts_from_rows(rows: list[dict]) -> DownloadCounts:
    counts = DownloadCounts(total=sum(row["count"] for row in rows))
    by_material: dict[int, dict] = {}
    by_month: dict = {}
    by_district: dict = {}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        district_name = _district_name(row)
        entry = {
            "month": month,
            "page_id": row["page_id"],
            "title": row["page__title"],
            "language": row["page__locale__language_code"],
            "district_id": row["district_id"],
            "district": district_name,
            "count": row["count"],
        }
        counts.rows.append(entry)
        material = by_material.setdefault(
            row["page_id"],
            {
                "page_id": row["page_id"],
                "title": entry["title"],
                "language": entry["language"],
                "count": 0,
            },
        )
        material["count"] += row["count"]
        by_month.setdefault(month, {"month": month, "count": 0})["count"] += row[
            "count"
        ]
        by_district.setdefault(
            row["district_id"],
            {"district_id": row["district_id"], "district": district_name, "count": 0},
        )["count"] += row["count"]
    counts.by_material = sorted(by_material.values(), key=lambda e: -e["count"])
    counts.by_month = sorted(by_month.values(), key=lambda e: e["month"])
    counts.by_district = sorted(by_district.values(), key=lambda e: -e["count"])
    return counts


def _district_name(row: dict) -> str | None:
    if row["district_id"] is None:
        return None
    if get_language() == "en":
        return row["district__name_en"] or row["district__name_lo"]
    return row["district__name_lo"] or row["district__name_en"]


def materials_published(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    linked: Q | None = None,
    language: str | None = None,
) -> list[MaterialPage]:
    """Live materials issued in the period (``published_date``, else the day they
    went live), one per material
    (its translations are one material), in ``language`` where it is translated;
    ``linked`` as for downloads. In order of issue, then title."""
    pages = MaterialPage.objects.live().annotate(
        issued_on=Coalesce("published_date", TruncDate("first_published_at"))
    )
    if date_from:
        pages = pages.filter(issued_on__gte=date_from)
    if date_to:
        pages = pages.filter(issued_on__lte=date_to)
    if linked is not None:
        keys = MaterialPage.objects.filter(linked).values("translation_key")
        pages = pages.filter(translation_key__in=keys)
    language = language or get_language()
    chosen: dict = {}
    for page in pages.select_related("locale").order_by("pk"):
        current = chosen.get(page.translation_key)
        if current is None or (
            page.locale.language_code == language
            and current.locale.language_code != language
        ):
            chosen[page.translation_key] = page
    return sorted(chosen.values(), key=lambda page: (page.issued_on, page.title))
