"""The sign-in sheet import preview tells the truth (issue 15, item 4): what each row
does, the marks and scores read, unknown villages as an explicit choice, and marks
for days still to come refused."""

import datetime
import io
import unicodedata
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from common.sheets import rows_to_csv
from people.models import Person
from places.models import Village
from tests.factories import (
    DistrictFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
    enrol,
)
from trainings.imports import sheet_import
from trainings.models import Attendance, Enrolment
from trainings.services import attendance_record_session
from trainings.sheets import template_rows

pytestmark = pytest.mark.django_db

NAME, PHONE, YEAR = "Full name / ຊື່ ແລະ ນາມສະກຸນ", "Phone / ເບີໂທ", "Birth year / ປີເກີດ"
DISTRICT, VILLAGE = "District / ເມືອງ", "Village / ບ້ານ"
SIX = ["ນາງ ບົວພັນ ສີສຸກ", "ທ້າວ ສົມພອນ", "Manivone", "ແສງດາວ ພົມມະຈັນ", "ສຸ່ກສະຫວັນ", "Kéo"]


@pytest.fixture
def district():
    return DistrictFactory(code="1604", name_lo="ປາກຊ່ອງ", name_en="Paksong")


@pytest.fixture
def session(district):
    return SessionFactory(district=district)


def run(session, rows, *, dry_run=True, villages=None, by=None):
    return sheet_import(
        session=session,
        content=rows_to_csv(rows),
        filename="sheet.csv",
        dry_run=dry_run,
        by=by,
        village_choices=villages,
    )


def enrol_six(session, **fields):
    people = [
        PersonFactory(full_name=name, phone=f"020 5551 23{n:02d}", **fields)
        for n, name in enumerate(SIX)
    ]
    enrolments = enrol(session, *people)
    attendance_record_session(
        session=session,
        statuses={
            day.pk: {e.pk: Attendance.Status.PRESENT for e in enrolments}
            for day in session.days.all()
        },
    )
    return people


def column(rows, header):
    return rows[0].index(header)


def counts(report):
    return (report.new, report.enrolled, report.updated, report.unchanged)


# New, enrolled, updated, unchanged ------------------------------------------------


def test_six_people_already_enrolled_come_back_as_zero_new(session):
    enrol_six(session)

    report = run(session, template_rows(session=session))

    assert report.errors == []
    assert counts(report) == (0, 0, 0, 6)
    assert {plan.outcome for plan in report.rows} == {"unchanged"}


def test_rows_without_phone_or_birth_year_find_the_enrolled_people(session):
    enrol_six(session, birth_year=None)
    rows = template_rows(session=session)
    for row in rows[1:]:
        row[column(rows, PHONE)] = ""
        row[column(rows, YEAR)] = ""

    report = run(session, rows, dry_run=False)

    assert counts(report) == (0, 0, 0, 6)
    assert Person.objects.count() == 6 and Enrolment.objects.count() == 6


def test_names_differing_by_case_spacing_or_composition_are_the_same_people(
    session,
):
    enrol_six(session)
    rows = template_rows(session=session)
    for row in rows[1:]:
        row[column(rows, PHONE)] = ""
    by_name = {row[0]: row for row in rows[1:]}
    by_name["ນາງ ບົວພັນ ສີສຸກ"][0] = "  ນາງ   ບົວພັນ  ສີສຸກ "
    by_name["Manivone"][0] = "MANIVONE"
    # The tone mark typed before the vowel: another code point order, same name.
    by_name["ສຸ່ກສະຫວັນ"][0] = "ສ\u0ec8\u0eb8ກສະຫວັນ"
    by_name["Kéo"][0] = unicodedata.normalize("NFD", "kéo")
    assert by_name["ສຸ່ກສະຫວັນ"][0] != "ສຸ່ກສະຫວັນ"

    report = run(session, rows)

    assert report.errors == []
    assert counts(report) == (0, 0, 0, 6)


def test_a_sheet_with_masked_phones_finds_the_enrolled_people_and_keeps_numbers(
    session,
):
    people = enrol_six(session)
    rows = template_rows(session=session, for_user=None)
    assert "•••" in rows[1][column(rows, PHONE)]

    report = run(session, rows, dry_run=False)

    assert counts(report) == (0, 0, 0, 6)
    assert Person.objects.count() == 6
    assert Person.objects.get(pk=people[0].pk).phone == people[0].phone


def test_a_registered_person_not_yet_enrolled_is_enrolled_not_new(session):
    PersonFactory(full_name="Manivone", phone="020 7777 1234")
    rows = [[NAME, PHONE], ["Manivone", "+856 20 7777 1234"]]

    report = run(session, rows)

    assert counts(report) == (0, 1, 0, 0)
    assert report.rows[0].outcome == "enrolled"
    assert report.as_dict()["rows"][0]["outcome"] == "enrolled"


def test_an_updated_row_says_which_details_days_and_scores_change(session):
    enrol_six(session)
    rows = template_rows(session=session)
    days = [day.date for day in session.days.all()]
    rows[1][column(rows, PHONE)] = "020 9999 0000"
    rows[1][rows[0].index(days[1].isoformat())] = "0"
    rows[1][column(rows, "Post-test score / ຄະແນນຫຼັງຝຶກອົບຮົມ")] = "72"

    report = run(session, rows)

    plan = report.rows[0]
    assert counts(report) == (0, 0, 1, 5)
    assert plan.outcome == "updated"
    assert plan.changed_fields() == ["phone"]
    assert plan.marks == {days[1]: Attendance.Status.ABSENT}
    assert plan.read_marks == {
        days[0]: "present",
        days[1]: "absent",
        days[2]: "present",
    }
    assert plan.scores == {"post_score": Decimal("72")}
    row = report.as_dict()["rows"][0]
    assert row["attendance_changed"] == [days[1].isoformat()]
    assert row["scores_changed"] == ["post_score"]


def test_the_preview_page_shows_each_day_read_and_outlines_the_changes(
    client_in_english, make_user, district
):
    session = SessionFactory(district=district, created_by=make_user("trainer"))
    enrol_six(session)
    rows = template_rows(session=session)
    day = session.days.all()[1].date
    rows[2][rows[0].index(day.isoformat())] = "L"
    upload = io.BytesIO(rows_to_csv(rows))
    upload.name = "sheet.csv"

    response = client_in_english("trainer").post(
        reverse("sessions:import", args=[session.pk]), {"file": upload}
    )

    content = response.content.decode()
    assert "New people: 0 · already registered, newly enrolled: 0 · updated: 1" in (
        content
    )
    assert content.count('data-status="present"') == 6 * 3 - 1
    assert content.count('data-status="late" class="is-changed"') == 1
    assert f">{day:%-d/%-m}<" in content


# Unknown villages ------------------------------------------------------------------


def village_rows():
    return [
        [NAME, DISTRICT, VILLAGE],
        ["ນາງ ແກ້ວ", "Paksong", "ໜອງຫຼວງ"],
        ["ທ້າວ ຄຳ", "ປາກຊ່ອງ", "  ໜອງຫຼວງ "],
    ]


def test_an_unknown_village_is_not_created_without_a_choice(session, district):
    known = Village.objects.create(district=district, name_lo="ບ້ານເກົ່າ")

    preview = run(session, village_rows())
    report = run(session, village_rows(), dry_run=False)

    (unknown,) = preview.unknown_villages
    assert (unknown.name, unknown.district, unknown.rows) == (
        "ໜອງຫຼວງ",
        district,
        [2, 3],
    )
    assert unknown.choices == [known]
    assert "left empty" in " ".join(preview.notes)
    assert report.committed
    assert list(Village.objects.all()) == [known]
    assert not Person.objects.filter(village__isnull=False).exists()


def test_an_unknown_village_can_be_one_of_the_districts_villages(session, district):
    known = Village.objects.create(district=district, name_lo="ໜອງຫລວງ")

    report = run(
        session, village_rows(), dry_run=False, villages={"1604/ໜອງຫຼວງ": known.pk}
    )

    assert report.committed
    assert Village.objects.count() == 1
    assert set(Person.objects.values_list("village", flat=True)) == {known.pk}


def test_an_unknown_village_is_created_when_chosen(session, district):
    report = run(
        session, village_rows(), dry_run=False, villages={"1604/ໜອງຫຼວງ": "new"}
    )

    assert report.committed
    village = Village.objects.get()
    assert (village.district, village.name_lo) == (district, "ໜອງຫຼວງ")
    assert set(Person.objects.values_list("village", flat=True)) == {village.pk}


def test_a_village_of_another_district_is_refused_and_nothing_saved(session):
    elsewhere = Village.objects.create(district=DistrictFactory(), name_lo="ໂພນສີ")

    report = run(
        session, village_rows(), dry_run=False, villages={"1604/ໜອງຫຼວງ": elsewhere.pk}
    )

    assert not report.committed
    assert "is not one of" in report.errors[0].message
    assert (report.new, report.rows) == (0, [])
    assert not Person.objects.exists()


def test_creating_a_village_needs_the_policys_permission(session):
    trainer = UserFactory(username="trainer", role="Trainers")
    Group.objects.get(name="Trainers").permissions.remove(
        Permission.objects.get(codename="add_village")
    )

    preview = run(session, village_rows(), by=trainer)
    report = run(
        session,
        village_rows(),
        dry_run=False,
        by=trainer,
        villages={"1604/ໜອງຫຼວງ": "new"},
    )

    assert preview.unknown_villages[0].may_create is False
    assert "You may not add villages" in report.errors[0].message
    assert not Village.objects.exists() and not Person.objects.exists()


def test_the_confirmation_applies_the_village_chosen_on_the_page(
    client_in_english, make_user, session
):
    session.created_by = make_user("trainer")
    session.save()
    client = client_in_english("trainer")
    upload = io.BytesIO(rows_to_csv(village_rows()))
    upload.name = "sheet.csv"
    page = reverse("sessions:import", args=[session.pk])

    preview = client.post(page, {"file": upload})
    content = preview.content.decode()
    assert 'name="village:1604/ໜອງຫຼວງ"' in content
    assert "Leave the village empty" in content
    saved = client.post(
        page,
        {
            "confirm": "1",
            "token": preview.context["token"],
            "village:1604/ໜອງຫຼວງ": "new",
        },
    )

    assert saved.status_code == 302
    assert Village.objects.get().name_lo == "ໜອງຫຼວງ"
    assert Person.objects.filter(village__name_lo="ໜອງຫຼວງ").count() == 2


def test_the_api_dry_run_lists_unknown_villages(client_as, make_user, session):
    session.created_by = make_user("trainer")
    session.save()
    upload = io.BytesIO(rows_to_csv(village_rows()))
    upload.name = "sheet.csv"

    response = client_as("trainer").post(
        f"/api/v1/sessions/{session.pk}/import/?dry_run=1", {"file": upload}
    )

    data = response.json()
    assert (data["new"], data["enrolled"], data["updated"], data["unchanged"]) == (
        2,
        0,
        0,
        0,
    )
    (unknown,) = data["unknown_villages"]
    assert (unknown["key"], unknown["district"], unknown["rows"]) == (
        "1604/ໜອງຫຼວງ",
        "1604",
        [2, 3],
    )
    assert unknown["choice"] == "" and unknown["may_create"] is True


def test_the_api_applies_the_villages_chosen(client_as, make_user, session):
    session.created_by = make_user("trainer")
    session.save()
    client = client_as("trainer")
    url = f"/api/v1/sessions/{session.pk}/import/"

    def upload():
        content = io.BytesIO(rows_to_csv(village_rows()))
        content.name = "sheet.csv"
        return content

    refused = client.post(url, {"file": upload(), "villages": '["new"]'})
    saved = client.post(url, {"file": upload(), "villages": '{"1604/ໜອງຫຼວງ": "new"}'})

    assert refused.status_code == 400 and "villages" in refused.json()
    assert saved.status_code == 200 and saved.json()["committed"] is True
    assert Person.objects.filter(village__name_lo="ໜອງຫຼວງ").count() == 2


# Days still to come ----------------------------------------------------------------


@pytest.fixture
def running_session(district):
    """A three-day session that started yesterday: its last day is tomorrow."""
    today = timezone.localdate()
    return SessionFactory(
        district=district,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )


def test_a_mark_for_a_day_still_to_come_is_refused_naming_row_and_day(
    running_session,
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    days = [day.date.isoformat() for day in running_session.days.all()]
    rows = [[NAME, *days], ["ນາງ ແກ້ວ", "1", "1", ""], ["ທ້າວ ຄຳ", "1", "1", "0"]]

    report = run(running_session, rows, dry_run=False)

    assert not report.committed
    assert [(e.row, e.column) for e in report.errors] == [(3, tomorrow.isoformat())]
    assert f"Row 3 has a mark for {tomorrow:%d/%m/%Y}" in report.errors[0].message
    assert not Attendance.objects.exists()


def test_an_empty_cell_for_a_day_still_to_come_records_nothing(running_session):
    days = [day.date.isoformat() for day in running_session.days.all()]
    rows = [[NAME, *days], ["ນາງ ແກ້ວ", "1", "", ""]]

    report = run(running_session, rows, dry_run=False)

    assert report.committed
    statuses = dict(Attendance.objects.values_list("day__date", "status"))
    assert statuses == {
        running_session.starts_on: "present",
        timezone.localdate(): "absent",
    }
