"""No spreadsheet out of Suksa can run a formula (issue 8, item 4).

A person named ``=HYPERLINK(...)`` (and the ``+ - @``, tab and carriage-return
variants) goes through every CSV and XLSX exporter: in CSV each such cell starts
with a ``'``, in XLSX it is a text cell, never a formula. Admin listings that export
are found by walking the URL configuration, so a new one is checked without being
listed here; a hand-written exporter must use ``common/sheets.py``, which a
scan of the source enforces.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from certificates.services import certificate_issue
from common.sheets import FORMULA_STARTS, rows_to_csv, rows_to_xlsx
from people.models import Gender
from tests.certificates.conftest import complete
from tests.factories import (
    CourseFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
)
from trainings.documents import sheet_template

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'
PAYLOADS = [
    HYPERLINK,
    "+HYPERLINK(1)",
    "-1+HYPERLINK(1)",
    "@SUM(1+1)",
    "\t=HYPERLINK(1)",
    "\r=HYPERLINK(1)",
    "\uff1dHYPERLINK(1)",
    "\uff0bSUM(1)",
    "\uff0d1+SUM(1)",
    "\uff20SUM(1)",
]


@pytest.fixture
def poisoned(make_user):
    """A completed session whose people, course, venue and organisation carry
    formula payloads; every participant holds a certificate."""
    course = CourseFactory(title_lo=HYPERLINK, title_en="+SUM(1)")
    session = SessionFactory(
        course=course, venue="@SUM(1)", created_by=make_user("trainer")
    )
    organisation = OrganisationFactory(name="=1+1")
    people = [
        PersonFactory(
            full_name=payload,
            latin_name=payload,
            position=payload,
            phone="-020 5551 2345" if index == 0 else "",
            organisation=organisation,
            gender=Gender.WOMAN,
        )
        for index, payload in enumerate(PAYLOADS)
    ]
    for enrolment in complete(session, people):
        certificate_issue(enrolment=enrolment)
    return session


def assert_csv_safe(content: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f"live formula: {cell!r}"
    return rows


def assert_xlsx_safe(content: bytes) -> list[list[str]]:
    workbook = load_workbook(io.BytesIO(content))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula cell: {cell.value!r}"
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.data_type == "s"
            values.append(["" if c.value is None else str(c.value) for c in row])
    return values


def cells(rows: list[list[str]]) -> set[str]:
    # XML turns a carriage return into a line feed: compare them as one.
    return {cell.lstrip("'").replace("\n", "\r") for row in rows for cell in row}


# The building blocks


def test_the_shared_writers_neutralise_every_payload():
    rows = [PAYLOADS, ["plain", 12, None]]

    csv_rows = assert_csv_safe(rows_to_csv(rows))
    xlsx_rows = assert_xlsx_safe(rows_to_xlsx(rows, title="t"))

    assert csv_rows[0] == ["'" + payload for payload in PAYLOADS]
    assert cells(xlsx_rows[:1]) == set(PAYLOADS)  # shown as typed, as text
    assert csv_rows[1] == ["plain", "12", ""]


# The sign-in sheet (the trainings export)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_sign_in_sheet_template_is_safe(poisoned, file_format):
    content, _type, _name = sheet_template(session=poisoned, file_format=file_format)

    check = assert_csv_safe if file_format == "csv" else assert_xlsx_safe
    assert set(PAYLOADS) <= cells(check(content))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_sign_in_sheet_download_is_safe(poisoned, client_as, file_format):
    response = client_as("trainer").get(
        f"/admin/sessions/{poisoned.pk}/sheet.{file_format}"
    )

    assert response.status_code == 200
    check = assert_csv_safe if file_format == "csv" else assert_xlsx_safe
    assert HYPERLINK in cells(check(response.content))


# Reports (issue 6) and the promoters' lists (issue 4)


@pytest.mark.parametrize(
    ("url", "payload_expected", "file_format"),
    [
        ("/admin/reports/people.{}", True, "csv"),
        ("/admin/reports/people.{}", True, "xlsx"),
        ("/admin/reports/export.{}", True, "csv"),
        ("/admin/reports/export.{}", True, "xlsx"),
        # DHIS2 takes CSV (and JSON, ADX), not XLSX.
        ("/admin/reports/dhis2.{}", False, "csv"),
    ],
)
def test_report_exports_are_safe(
    poisoned, client_as, url, payload_expected, file_format
):
    response = client_as("admin").get(url.format(file_format), {"year": 2022})

    assert response.status_code == 200, response.content[:300]
    check = assert_csv_safe if file_format == "csv" else assert_xlsx_safe
    exported = cells(check(response.content))
    if payload_expected:
        assert exported & {*PAYLOADS, "=1+1", "+SUM(1)"}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["promoters", "meetings", "visits"])
def test_promoter_list_exports_are_safe(
    poisoned, client_as, admin_user, kind, file_format
):
    import datetime

    from promoters.models import DistrictOffice, Promoter
    from promoters.services import meeting_record, promoter_create
    from tests.factories import VillageFactory

    village = VillageFactory()
    office = DistrictOffice.objects.create(district=village.district, name="=1+1")
    promoter = promoter_create(
        person=PersonFactory(full_name=HYPERLINK, district=village.district),
        role=Promoter.Role.VILLAGE_CHIEF,
        office=office,
        village=village,
        started_on=datetime.date(2024, 1, 1),
    )
    meeting_record(
        user=admin_user,
        client_uuid="6b1f0c1e-0000-4000-8000-000000000001",
        date=datetime.date(2024, 2, 1),
        village=village,
        led_by=[promoter],
        turnout={"women": 3},
        registrations={},
        notes="@SUM(1)",
    )

    response = client_as("admin").get(
        f"/admin/promoters-sheets/{kind}/export.{file_format}"
    )

    assert response.status_code == 200, response.content[:300]
    check = assert_csv_safe if file_format == "csv" else assert_xlsx_safe
    exported = cells(check(response.content))
    if kind != "visits":
        assert exported & {HYPERLINK, "@SUM(1)", "=1+1"}


# Every admin listing with an export


def _patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def export_listings() -> list[str]:
    """Every URL without parameters whose view exports a spreadsheet."""
    found = []
    for route, callback in _patterns(get_resolver()):
        view_class = getattr(callback, "view_class", None)
        initkwargs = getattr(callback, "view_initkwargs", {})
        if view_class is None or not issubclass(view_class, SpreadsheetExportMixin):
            continue
        if not (initkwargs.get("list_export") or view_class.list_export):
            continue
        if "<" in route or "(" in route:
            continue
        found.append("/" + route.lstrip("^").rstrip("$"))
    return sorted(set(found))


# Listings whose export must show the payload (the others are checked for safety).
NAMED_LISTINGS = {"/admin/people/", "/admin/certificates/", "/admin/sessions/"}


def test_the_exporting_listings_are_found():
    listings = export_listings()

    assert NAMED_LISTINGS <= set(listings)


@pytest.mark.parametrize("listing", export_listings())
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_admin_listing_export_is_safe(poisoned, client_as, listing, file_format):
    response = client_as("admin").get(listing, {"export": file_format})

    assert response.status_code == 200, listing
    content = (
        b"".join(response.streaming_content)
        if response.streaming
        else (response.content)
    )
    check = assert_csv_safe if file_format == "csv" else assert_xlsx_safe
    exported = cells(check(content))
    if listing in NAMED_LISTINGS:
        assert exported & set(PAYLOADS) or "@SUM(1)" in exported, listing


# Nothing writes spreadsheets by hand

HAND_WRITTEN = re.compile(
    r"csv\.writer|csv\.DictWriter|Workbook\(|xlsxwriter|tablib\.Dataset|"
    r"\.export\(.*format"
)
ALLOWED = {
    "common/sheets.py",
    # Pasted rows become a CSV handed straight to the sheet import, never a file a
    # person downloads or opens; the import reads formula-like text as text.
    "trainings/paste.py",
}


def test_no_exporter_writes_spreadsheets_itself():
    root = Path(settings.BASE_DIR)
    apps = [
        path
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {".venv", "tests", "benchmarks", "var"}
        and "migrations" not in path.parts
    ]
    offenders = [
        str(path.relative_to(root))
        for path in apps
        if str(path.relative_to(root)) not in ALLOWED
        and HAND_WRITTEN.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == [], "use common.sheets.rows_to_csv / rows_to_xlsx"


def test_import_export_resources_escape_formulas_too():
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True
