import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.sheets import rows_to_csv, rows_to_xlsx
from people.models import Organisation
from promoters.models import CentreVisit, InformationCentre, Promoter, VillageMeeting
from promoters.sheets import COLUMNS, export_rows, spreadsheet_import
from tests.factories import (
    DistrictOfficeFactory,
    PersonFactory,
    PromoterFactory,
    VillageFactory,
    record_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("officer")


@pytest.fixture
def office(officer):
    return DistrictOfficeFactory(officers=[officer], name="Paksong DSSO")


def _headers(kind):
    return [column.header for column in COLUMNS[kind]]


def _csv(kind, *rows) -> bytes:
    header = _headers(kind)
    return rows_to_csv(
        [header, *[[row.get(c.key, "") for c in COLUMNS[kind]] for row in rows]]
    )


def _import(kind, content, user, *, dry_run=False, filename="file.csv"):
    return spreadsheet_import(
        kind=kind, content=content, filename=filename, user=user, dry_run=dry_run
    )


def test_promoters_import_previews_then_saves_and_matches_people(office, officer):
    village = VillageFactory(district=office.district, name_lo="ບ້ານ ໜອງຫຼວງ")
    # Someone of the officer's district: matched by phone (someone outside their
    # districts would not be: see tests/access/test_findings.py, d2).
    known = PersonFactory(
        full_name="ນາງ ບົວພັນ", phone="020 5555 1111", district=office.district
    )
    content = _csv(
        "promoters",
        {
            "full_name": "ນາງ ບົວພັນ",
            "phone": "+856 20 5555 1111",
            "role": "Producer-group leader",
            "office": "Paksong DSSO",
            "village": "ບ້ານ ໜອງຫຼວງ",
            "started_on": "01/07/2022",
        },
        {
            "full_name": "ທ້າວ ສົມສັກ",
            "gender": "Man",
            "role": "village_chief",
            "office": "paksong dsso",
            "village": "ບ້ານ ໜອງຫຼວງ",
            "started_on": "2022-07-01",
        },
    )

    preview = _import("promoters", content, officer, dry_run=True)
    assert preview.errors == [] and preview.new == 2
    assert not Promoter.objects.exists()

    report = _import("promoters", content, officer)
    assert report.new == 2
    promoters = Promoter.objects.order_by("pk")
    assert promoters[0].person == known
    assert promoters[1].person.gender == "man"
    assert {p.village for p in promoters} == {village}


def test_an_error_in_one_row_saves_nothing_and_says_what_is_wrong(office, officer):
    VillageFactory(district=office.district, name_lo="ບ້ານ ໜອງຫຼວງ")
    content = _csv(
        "promoters",
        {
            "full_name": "A",
            "role": "village_chief",
            "office": "Paksong DSSO",
            "village": "ບ້ານ ໜອງຫຼວງ",
            "started_on": "2022-07-01",
        },
        {
            "full_name": "B",
            "role": "chief of everything",
            "office": "Paksong DSSO",
            "village": "ບ້ານ ບໍ່ມີ",
            "started_on": "yesterday",
        },
    )
    report = _import("promoters", content, officer)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Role / ບົດບາດ")]
    assert "is not one of" in report.errors[0].message
    assert not Promoter.objects.exists()


def test_unknown_columns_and_refused_files_are_reported(officer):
    report = _import("meetings", rows_to_csv([["Date", "Colour"]]), officer)
    assert [(e.row, e.column) for e in report.errors] == [(1, "Colour")]
    report = _import("meetings", b"hello", officer, filename="meetings.pdf")
    assert "neither" in report.errors[0].message


def test_meetings_round_trip_and_reimport_stores_each_meeting_once(office, officer):
    promoter = PromoterFactory(office=office)
    Organisation.objects.create(name="Oxfam", kind="civil_society")
    stored = record_meeting(promoter, user=officer)
    content = _csv(
        "meetings",
        {
            "date": "2023-06-03",
            "village": promoter.village.name_lo,
            "led_by": promoter.person.full_name,
            "partners": "Oxfam",
            "turnout_women": "12",
            "turnout_men": "9",
            "registrations_women": "3",
            "topics": "Registering with social security; osh",
        },
    )
    assert _import("meetings", content, officer).new == 1
    again = _import("meetings", content, officer)
    assert (again.new, again.unchanged, again.errors) == (0, 1, [])
    assert VillageMeeting.objects.count() == 2
    new = VillageMeeting.objects.exclude(pk=stored.pk).get()
    assert [t.code for t in new.topics.order_by("code")] == ["osh", "registration"]

    exported = export_rows(
        kind="meetings", queryset=VillageMeeting.objects.all(), user=officer
    )
    report = _import("meetings", rows_to_csv(exported), officer)
    assert (report.unchanged, report.new, report.updated) == (2, 0, 0)


def test_meeting_rules_apply_to_imported_rows(office, officer):
    promoter = PromoterFactory(office=office)
    content = _csv(
        "meetings",
        {
            "date": "2023-06-03",
            "village": promoter.village.name_lo,
            "led_by": promoter.person.full_name,
            "turnout_women": "2",
            "registrations_women": "5",
        },
    )
    report = _import("meetings", content, officer)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Registrations: women / ການລົງທະບຽນ: ຍິງ")
    ]
    assert "cannot be more than the turnout" in report.errors[0].message


def test_an_officer_cannot_import_into_another_district(office, officer):
    elsewhere = PromoterFactory()
    content = _csv(
        "meetings",
        {
            "date": "2023-06-03",
            "village": elsewhere.village.name_lo,
            "led_by": elsewhere.person.full_name,
            "turnout_men": "2",
        },
    )
    report = _import("meetings", content, officer)
    assert report.errors and not VillageMeeting.objects.exists()
    assert "Unknown promoter" in report.errors[0].message


def test_visits_import_from_xlsx(office, officer):
    centre = InformationCentre.objects.create(
        name="Paksong Worker Information Centre",
        host_organisation="District labour office",
        host_kind="government_office",
        district=office.district,
    )
    rows = [
        _headers("visits"),
        ["", centre.name, "2023-06-01", "3", "4", "", "", "osh", ""],
    ]
    report = _import(
        "visits",
        rows_to_xlsx(rows, title="Visits"),
        officer,
        filename="visits.xlsx",
    )
    assert report.errors == [] and report.new == 1
    assert CentreVisit.objects.get().visitors.total == 7


def test_export_neutralises_formulas_and_masks_phones_for_officers(office, officer):
    promoter = PromoterFactory(
        office=office,
        person=PersonFactory(full_name="=HYPERLINK(1)", phone="020 5555 1234"),
    )
    assert promoter.pk
    csv_text = rows_to_csv(
        export_rows(kind="promoters", queryset=Promoter.objects.all(), user=officer)
    ).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_text
    assert "020 5555 1234" not in csv_text


def test_export_view_serves_xlsx_with_the_listing_filters(
    client_as, office, admin_user
):
    promoter = PromoterFactory(office=office)
    record_meeting(promoter, user=admin_user, date=datetime.date(2023, 1, 5))
    record_meeting(promoter, user=admin_user, date=datetime.date(2023, 6, 5))
    response = client_as("officer").get(
        reverse("promoters_sheets:export", args=["meetings", "xlsx"])
        + "?date_from=2023-06-01&date_to=2023-06-30"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    dates = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert dates == [datetime.datetime(2023, 6, 5)]  # a date cell, not text


def test_import_view_preview_then_confirm(client_in_english, office):
    promoter = PromoterFactory(office=office)
    client = client_in_english("officer")
    url = reverse("promoters_sheets:import", args=["meetings"])
    page = client.get(url)
    assert page.status_code == 200 and "Check the file" in page.content.decode()
    content = _csv(
        "meetings",
        {
            "date": "2023-06-03",
            "village": promoter.village.name_lo,
            "led_by": promoter.person.full_name,
            "turnout_men": "4",
        },
    )
    upload = io.BytesIO(content)
    upload.name = "meetings.csv"
    preview = client.post(url, {"file": upload})
    assert "Preview — nothing is saved yet." in preview.content.decode()
    assert not VillageMeeting.objects.exists()
    token = preview.context["token"]
    confirmed = client.post(url, {"confirm": "1", "token": token})
    assert confirmed.status_code == 302
    assert VillageMeeting.objects.count() == 1
    expired = client.post(url, {"confirm": "1", "token": token})
    assert expired.status_code == 302 and VillageMeeting.objects.count() == 1


def test_meetings_import_the_kind_and_contributions_and_old_files_still_work(
    office, officer
):
    promoter = PromoterFactory(office=office)
    row = {
        "date": "2023-06-03",
        "village": promoter.village.name_lo,
        "led_by": promoter.person.full_name,
        "turnout_women": "12",
        "registrations_women": "9",
        "kind": "Mobile registration and payment drive",
        "contributions_lak": "1,053,000",
        "contributions_people": "9",
    }
    assert _import("meetings", _csv("meetings", row), officer).new == 1
    drive = VillageMeeting.objects.get()
    assert (drive.kind, drive.contributions_lak, drive.contributions_people) == (
        "mobile_drive",
        1_053_000,
        9,
    )

    old_columns = [
        c
        for c in COLUMNS["meetings"]
        if not c.key.startswith(("kind", "contributions"))
    ]
    content = rows_to_csv(
        [
            [c.header for c in old_columns],
            [{**row, "date": "2023-06-04"}.get(c.key, "") for c in old_columns],
        ]
    )
    assert _import("meetings", content, officer).new == 1
    assert VillageMeeting.objects.get(date="2023-06-04").kind == "dissemination"

    wrong = _import("meetings", _csv("meetings", {**row, "kind": "picnic"}), officer)
    assert [e.column for e in wrong.errors] == ["Kind of activity / ປະເພດກິດຈະກຳ"]
