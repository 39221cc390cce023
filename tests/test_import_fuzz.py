"""Importers under attack (issue 8, item 5): whatever the file, no server error, no
partial write, always a message.

Hypothesis feeds the sign-in sheet importer random bytes, truncated and malformed
XLSX, a zip bomb, huge cells, wrong encodings, formulas and thousands of columns,
through the service and through the admin upload screen.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from people.models import Person
from tests.factories import PersonFactory, SessionFactory, enrol
from trainings.documents import sheet_template
from trainings.imports import sheet_import
from trainings.models import Attendance, Enrolment

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENCODINGS = ["utf-16", "utf-16-le", "cp874", "latin-1", "utf-32"]


@pytest.fixture
def session(make_user):
    session = SessionFactory(created_by=make_user("trainer"))
    enrol(session, PersonFactory(full_name="ນາງ ບົວພັນ"), PersonFactory())
    return session


def table_counts() -> tuple[int, int, int]:
    return Person.objects.count(), Enrolment.objects.count(), Attendance.objects.count()


def import_refused(session, content: bytes, filename: str) -> None:
    """The import answers with a message and, when refused, writes nothing."""
    before = table_counts()

    report = sheet_import(
        session=session, content=content, filename=filename, dry_run=False
    )

    if report.committed:
        assert not report.errors
        return
    assert report.errors, "a refusal must say why"
    assert all(str(error.message).strip() for error in report.errors)
    assert table_counts() == before


def _template(session) -> bytes:
    return sheet_template(session=session, file_format="xlsx")[0]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@FUZZ
@given(
    content=st.binary(max_size=4096),
    filename=st.sampled_from(["sheet.xlsx", "sheet.csv", "sheet.XLSX", "sheet"]),
)
def test_random_bytes(session, content, filename):
    import_refused(session, content, filename)


@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=0.999))
def test_truncated_xlsx(session, cut):
    content = _template(session)

    import_refused(session, content[: int(len(content) * cut)], "sheet.xlsx")


@FUZZ
@given(
    names=st.lists(
        st.sampled_from(
            [
                "[Content_Types].xml",
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
                "xl/_rels/workbook.xml.rels",
                "_rels/.rels",
                "xl/sharedStrings.xml",
            ]
        ),
        min_size=1,
        max_size=6,
        unique=True,
    ),
    data=st.binary(max_size=512),
)
def test_malformed_xlsx_archives(session, names, data):
    import_refused(session, _zip(dict.fromkeys(names, data)), "sheet.xlsx")


def test_a_zip_bomb_is_refused_before_any_part_is_unpacked(session, monkeypatch):
    """Refused from the archive's directory alone: no part is opened, so the cost
    does not grow with what the parts unpack to (a time limit would fail on a slow
    machine and pass a slow check on a fast one)."""
    # 100 MB of one repeated row compress to about 100 kB.
    row = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>"
    sheet = b"<worksheet><sheetData>" + row * 2_000_000 + b"</sheetData></worksheet>"
    real = zipfile.ZipFile(io.BytesIO(_template(session)))
    entries = {name: real.read(name) for name in real.namelist()}
    entries["xl/worksheets/sheet1.xml"] = sheet
    bomb = _zip(entries)
    opened = []
    open_part = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda archive, name, *args, **kwargs: (
            opened.append(getattr(name, "filename", name)),
            open_part(archive, name, *args, **kwargs),
        )[1],
    )

    import_refused(session, bomb, "sheet.xlsx")

    assert opened == []


@pytest.mark.parametrize(
    "content",
    [
        b"full name,gender\n=1+1,woman\n",
        b"PK\x03\x04 not really a zip",
        b"\xef\xbb\xbf",
        b"",
    ],
)
def test_not_an_xlsx_with_an_xlsx_name(session, content):
    import_refused(session, content, "sheet.xlsx")


@FUZZ
@given(
    text=st.text(min_size=1, max_size=300),
    encoding=st.sampled_from(ENCODINGS),
)
def test_wrong_encodings(session, text, encoding):
    content = f"Full name / ຊື່ ແລະ ນາມສະກຸນ,Gender\n{text},woman\n".encode(
        encoding, errors="replace"
    )

    import_refused(session, content, "sheet.csv")


@FUZZ
@given(
    cell=st.one_of(
        st.text(
            st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=50
        ).map(lambda text: "=" + text),
        st.sampled_from(['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(1)"]),
    )
)
def test_formulas_in_xlsx(session, cell):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Full name", "Gender", "Phone"])
    sheet.append([cell, cell, cell])
    output = io.BytesIO()
    workbook.save(output)

    import_refused(session, output.getvalue(), "sheet.xlsx")


@pytest.mark.parametrize(
    "content",
    [
        # A huge cell.
        "Full name,Gender\n" + "ບ" * 2_000_000 + ",woman\n",
        # Thousands of columns.
        ",".join(f"column {n}" for n in range(5000)) + "\n" + "x," * 4999 + "x\n",
        # Thousands of columns in a single long row of commas.
        "Full name" + "," * 20000 + "\n",
    ],
    ids=["huge-cell", "thousands-of-columns", "empty-columns"],
)
def test_huge_and_wide_sheets(session, content):
    import_refused(session, content.encode(), "sheet.csv")


def test_thousands_of_columns_in_xlsx(session):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([f"column {n}" for n in range(3000)])
    sheet.append(["x"] * 3000)
    output = io.BytesIO()
    workbook.save(output)

    import_refused(session, output.getvalue(), "sheet.xlsx")


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=2048),
        st.text(max_size=500).map(lambda text: text.encode("utf-16")),
    ),
    filename=st.sampled_from(["sheet.xlsx", "sheet.csv", "sheet.pdf"]),
)
def test_the_upload_screen_always_answers_with_a_message(
    session, client_as, content, filename
):
    client = client_as("trainer")
    before = table_counts()

    response = client.post(
        f"/admin/sessions/{session.pk}/import/",
        {"file": SimpleUploadedFile(filename, content)},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error' in html or "error-message" in html or "help-critical" in html
    assert table_counts() == before


# The promoters' lists (promoters, meetings, centre visits)

PROMOTER_KINDS = ["promoters", "meetings", "visits"]


def promoter_counts() -> tuple[int, ...]:
    from promoters.models import CentreVisit, Promoter, VillageMeeting

    return (
        Person.objects.count(),
        Promoter.objects.count(),
        VillageMeeting.objects.count(),
        CentreVisit.objects.count(),
    )


def promoter_import_refused(user, kind: str, content: bytes, filename: str) -> None:
    from promoters.sheets import spreadsheet_import

    before = promoter_counts()

    report = spreadsheet_import(
        kind=kind, content=content, filename=filename, user=user, dry_run=False
    )

    if not report.errors:
        assert promoter_counts() >= before  # a clean sheet may import
        return
    assert all(str(error.message).strip() for error in report.errors)
    assert promoter_counts() == before


@FUZZ
@given(
    kind=st.sampled_from(PROMOTER_KINDS),
    content=st.one_of(
        st.binary(max_size=2048),
        st.text(max_size=400).map(lambda text: text.encode("utf-16")),
        st.text(max_size=400).map(lambda text: text.encode("cp874", errors="replace")),
    ),
    filename=st.sampled_from(["list.xlsx", "list.csv"]),
)
def test_promoter_imports_take_any_bytes(admin_user, kind, content, filename):
    promoter_import_refused(admin_user, kind, content, filename)


@FUZZ
@given(
    kind=st.sampled_from(PROMOTER_KINDS),
    cells=st.lists(
        st.one_of(
            st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60),
            st.sampled_from(['=HYPERLINK("http://x","y")', "-1", "@A1", "99999999"]),
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_promoter_imports_take_any_rows_under_real_headers(admin_user, kind, cells):
    from promoters.sheets import COLUMNS

    header = [column.header for column in COLUMNS[kind]]
    rows = [header, cells, cells[::-1]]
    content = "\n".join(",".join(f'"{c}"' for c in row) for row in rows).encode()

    promoter_import_refused(admin_user, kind, content, "list.csv")


@pytest.mark.parametrize("kind", PROMOTER_KINDS)
def test_promoter_imports_refuse_bombs_and_wide_sheets(admin_user, session, kind):
    row = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>"
    sheet = b"<worksheet><sheetData>" + row * 2_000_000 + b"</sheetData></worksheet>"
    real = zipfile.ZipFile(io.BytesIO(_template(session)))
    entries = {name: real.read(name) for name in real.namelist()}
    entries["xl/worksheets/sheet1.xml"] = sheet
    wide = (",".join(f"c{n}" for n in range(5000)) + "\n").encode()

    promoter_import_refused(admin_user, kind, _zip(entries), "list.xlsx")
    promoter_import_refused(admin_user, kind, wide, "list.csv")


@pytest.mark.parametrize("kind", PROMOTER_KINDS)
def test_the_promoter_upload_screen_answers_with_a_message(client_as, kind):
    before = promoter_counts()

    response = client_as("admin").post(
        f"/admin/promoters-sheets/{kind}/import/",
        {"file": SimpleUploadedFile("list.xlsx", b"PK\x03\x04 broken")},
    )

    assert response.status_code == 200
    assert "damaged" in response.content.decode() or "ເສຍຫາຍ" in (
        response.content.decode()
    )
    assert promoter_counts() == before
