import datetime
import io

import pytest
from openpyxl import Workbook

from common.sheets import rows_to_csv, rows_to_xlsx
from people.models import Gender, Organisation, Person
from places.models import Village
from tests.factories import DistrictFactory, PersonFactory, SessionFactory, enrol
from trainings.imports import sheet_import
from trainings.models import Attendance, Enrolment
from trainings.sheets import template_rows

pytestmark = pytest.mark.django_db

HEADER = [
    "Full name / ຊື່ ແລະ ນາມສະກຸນ",
    "Gender / ເພດ",
    "Birth year / ປີເກີດ",
    "Phone / ເບີໂທ",
    "Organisation / ອົງການຈັດຕັ້ງ",
    "District / ເມືອງ",
    "Village / ບ້ານ",
]


@pytest.fixture
def session():
    return SessionFactory(
        district=DistrictFactory(code="1604", name_lo="ປາກຊ່ອງ", name_en="Paksong")
    )


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def good_rows(session):
    days = [day.date.isoformat() for day in session.days.all()]
    return [
        HEADER + days,
        [
            "ນາງ ບົວພັນ ສີສຸກ",
            "ຍິງ",
            "1988",
            "020 5551 2345",
            "LSSO",
            "Paksong",
            "ໜອງຫຼວງ",
            "1",
            "ມາ",
            "✓",
        ],
        [
            "ທ້າວ ສົມພອນ",
            "M",
            "1979",
            "+856 20 9999 8888",
            "",
            "ປາກຊ່ອງ",
            "",
            "x",
            "L",
            "0",
        ],
        ["Manivone", "female", "", "", "", "", "", "P", "E", "ບໍ່ມາ"],
    ]


def run(session, rows, *, dry_run=False, name="sheet.xlsx", villages=None, by=None):
    return sheet_import(
        session=session,
        content=xlsx(rows),
        filename=name,
        dry_run=dry_run,
        by=by,
        village_choices=villages,
    )


def test_good_sheet_previews_then_saves_people_enrolments_and_attendance(session):
    Organisation.objects.create(name="LSSO", kind=Organisation.Kind.LSSO)

    preview = run(session, good_rows(session), dry_run=True)
    assert (preview.new, preview.updated, preview.unchanged, preview.errors) == (
        3,
        0,
        0,
        [],
    )
    assert Person.objects.count() == 0 and not Village.objects.exists()
    assert any("ໜອງຫຼວງ" in note for note in preview.notes)

    report = run(session, good_rows(session), villages={"1604/ໜອງຫຼວງ": "new"})

    assert report.committed and report.new == 3
    bouaphanh = Person.objects.get(phone_key="2055512345")
    assert (bouaphanh.gender, bouaphanh.birth_year) == (Gender.WOMAN, 1988)
    assert bouaphanh.village.name_lo == "ໜອງຫຼວງ"
    assert bouaphanh.organisation.name == "LSSO"
    assert Person.objects.get(phone_key="2099998888").gender == Gender.MAN
    statuses = sorted(Attendance.objects.values_list("status", flat=True))
    assert statuses.count("present") == 5
    assert statuses.count("late") == 1 and statuses.count("excused") == 1
    assert statuses.count("absent") == 2


def test_importing_the_same_file_again_changes_nothing(session):
    run(session, good_rows(session))
    counts = (
        Person.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
    )

    again = run(session, good_rows(session))

    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert counts == (
        Person.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
    )


def test_known_person_is_reused_and_changed_attendance_is_an_update(session):
    known = PersonFactory(full_name="Bouaphanh", phone="+856 20 55512345")
    run(session, good_rows(session))
    rows = good_rows(session)
    rows[1][7] = "0"

    report = run(session, rows)

    assert Person.objects.filter(phone_key="2055512345").get() == known
    assert (report.new, report.updated, report.unchanged) == (0, 1, 2)


def test_exported_template_comes_back_unchanged(session):
    run(session, good_rows(session))
    rows = template_rows(session=session)

    assert run(session, rows[:], name="t.xlsx").unchanged == 3
    content = rows_to_xlsx(rows, title=session.code)
    report = sheet_import(
        session=session, content=content, filename="t.xlsx", dry_run=True
    )
    assert (report.unchanged, report.errors) == (3, [])
    csv_report = sheet_import(
        session=session, content=rows_to_csv(rows), filename="t.csv", dry_run=True
    )
    assert (csv_report.unchanged, csv_report.errors) == (3, [])


def test_headers_in_either_language_any_case_and_real_dates(session):
    days = [
        datetime.datetime.combine(d.date, datetime.time()) for d in session.days.all()
    ]
    rows = [
        ["  FULL NAME ", "ເພດ", "phone"] + days,
        ["ສົມພອນ", "ຊາຍ", "020 1234 5678", 1, 1, 1],
    ]

    report = run(session, rows)

    assert report.errors == [] and report.new == 1
    assert Attendance.objects.filter(status="present").count() == 3


def errors_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_every_bad_cell_is_named_and_nothing_is_saved(session):
    rows = good_rows(session)
    rows[1][1] = "girl"
    rows[2][2] = "79"
    rows[3][3] = "12"
    rows[3][8] = "maybe"
    rows.append(["", "ຍິງ", "", "", "", "", "", "", "", ""])
    rows.append(["ຄຳ", "", "", "", "", "Atlantis", "", "", "", ""])

    report = run(session, rows)

    errors = errors_of(report)
    assert not report.committed
    assert (
        2,
        "Gender / ເພດ",
        "“girl” is not a gender. Write ຍິງ or ຊາຍ (F/M, woman/man).",
    ) in errors
    assert any(e[0] == 3 and e[1] == "Birth year / ປີເກີດ" for e in errors)
    assert any(e[0] == 4 and e[1] == "Phone / ເບີໂທ" for e in errors)
    assert any(e[0] == 4 and "attendance mark" in e[2] for e in errors)
    assert any(e[0] == 5 and "name is empty" in e[2] for e in errors)
    assert Person.objects.count() == 0 and Attendance.objects.count() == 0


def test_unknown_district_and_same_person_twice_are_refused(session):
    rows = good_rows(session)
    rows[3][5] = "Atlantis"
    rows.append(rows[1][:])

    report = run(session, rows)

    messages = " ".join(e.message for e in report.errors)
    assert "“Atlantis” is not a district we know" in messages
    assert "Same person as row 2" in messages
    assert Person.objects.count() == 0


def test_unknown_column_and_wrong_day_are_refused(session):
    rows = good_rows(session)
    rows[0] = rows[0] + ["Shoe size", "2031-01-01"]

    report = run(session, rows)

    columns = {e.column for e in report.errors}
    assert {"Shoe size", "2031-01-01"} <= columns


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a zip at all", "sheet.xlsx", "not a real Excel"),
        (b"PK\x03\x04broken", "sheet.xlsx", "cannot be read"),
        (b"%PDF-1.4", "sheet.pdf", "neither"),
        ("ຊື່".encode("utf-16"), "sheet.csv", "not UTF-8"),
        (b"", "sheet.csv", "empty"),
    ],
)
def test_files_that_are_not_sheets_are_refused_before_parsing(
    session, content, name, message
):
    report = sheet_import(
        session=session, content=content, filename=name, dry_run=False
    )
    assert len(report.errors) == 1
    assert message in report.errors[0].message


def test_too_large_or_too_long_files_are_refused(session, settings):
    settings.SUKSA_SHEET_MAX_BYTES = 1000
    report = sheet_import(
        session=session, content=b"x" * 1001, filename="a.csv", dry_run=True
    )
    assert (
        "limit is 0.0 MB" in report.errors[0].message
        or "limit" in report.errors[0].message
    )

    settings.SUKSA_SHEET_MAX_BYTES = 5_000_000
    settings.SUKSA_SHEET_MAX_ROWS = 2
    report = run(session, good_rows(session))
    assert "the limit is 2" in report.errors[0].message
    assert Person.objects.count() == 0


def test_full_session_refuses_a_sheet_that_overfills_it(session):
    session.capacity = 2
    session.save()
    enrol(session, PersonFactory())

    report = run(session, good_rows(session))

    assert "takes 2 participants" in report.errors[0].message
    assert Person.objects.count() == 1


def test_formula_in_a_name_is_exported_as_text(session):
    enrol(session, PersonFactory(full_name='=HYPERLINK("http://x")'))
    rows = template_rows(session=session)

    csv_text = rows_to_csv(rows).decode("utf-8-sig")

    assert "'=HYPERLINK" in csv_text


def test_formula_in_a_name_is_plain_text_in_the_xlsx(session):
    from openpyxl import load_workbook

    enrol(session, PersonFactory(full_name='=HYPERLINK("http://x")'))
    content = rows_to_xlsx(template_rows(session=session), title=session.code)

    cell = load_workbook(io.BytesIO(content)).active["A2"]

    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_a_sheet_for_a_session_in_an_approved_period_is_refused(session, make_user):
    from periods.models import PeriodApproval
    from periods.services import period_approve

    period_approve(
        district=session.district,
        kind=PeriodApproval.Kind.MONTH,
        year=session.starts_on.year,
        number=session.starts_on.month,
        by=make_user("manager"),
    )

    report = run(session, good_rows(session))

    assert "is approved" in report.errors[0].message
    assert not Enrolment.objects.exists()
    assert Person.objects.count() == 0
