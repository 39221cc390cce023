"""The sign-in sheet import preview at real scale (issue 15, item 4): 60 rows and
three days, in Lao, on a laptop and on a 360 px phone. Most people are already
enrolled; a few come back with changed marks, a few are new, and one village is not
in the district's list: the trainer picks one of the district's villages for it.

Screenshots are written for the guide (see conftest.screenshot).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from common.sheets import rows_to_xlsx
from places.models import Village
from tests.browser.conftest import screenshot
from tests.factories import DistrictFactory, PersonFactory, SessionFactory, UserFactory
from trainings.models import Attendance, Enrolment
from trainings.services import attendance_record_session, enrolment_add
from trainings.sheets import COLUMNS_BY_KEY, template_rows

LAPTOP = {"width": 1366, "height": 900}
SMALL_PHONE = {"width": 360, "height": 740}
GIVEN = ["ບົວພັນ", "ມະນີວອນ", "ແສງດາວ", "ສົມສັກ", "ບຸນມີ", "ຄຳພອນ", "ວັນນະ", "ພອນສະຫວັນ"]
FAMILY = ["ສີສຸວັນ", "ພົມມະຈັນ", "ວົງສະຫວັນ", "ແກ້ວມະນີ", "ໄຊຍະວົງ"]


@pytest.fixture
def sheet(transactional_db, django_db_serialized_rollback, live_server, tmp_path):
    """55 people enrolled with three days present; the sheet brings them back (three
    with a changed mark), five new people, and a village the district lacks."""
    trainer = UserFactory(username="trainer", role="Trainers")
    district = DistrictFactory(code="1604", name_lo="ປາກຊ່ອງ", name_en="Paksong")
    Village.objects.create(district=district, name_lo="ໜອງຫລວງ")
    Village.objects.create(district=district, name_lo="ຫຼັກ 35")
    today = timezone.localdate()
    session = SessionFactory(
        district=district,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=8),
        created_by=trainer,
    )
    enrolments = []
    for number in range(55):
        title = "ນາງ" if number % 2 else "ທ້າວ"
        name = f"{title} {GIVEN[number % 8]} {FAMILY[number % 5]} {number + 1}"
        person = PersonFactory(full_name=name, phone=f"020 55{number:06d}")
        enrolments.append(enrolment_add(session=session, person=person)[0])
    attendance_record_session(
        session=session,
        statuses={
            day.pk: {e.pk: Attendance.Status.PRESENT for e in enrolments}
            for day in session.days.all()
        },
    )
    rows = template_rows(session=session, for_user=trainer)
    header = rows[0]
    days = [day.date.isoformat() for day in session.days.all()]
    for number in (3, 17, 40):
        rows[number][header.index(days[number % 3])] = "0"
    for number in range(5):
        row = [""] * len(header)
        row[header.index(COLUMNS_BY_KEY["full_name"].header)] = f"ນາງ ໃໝ່ {number + 1}"
        row[header.index(COLUMNS_BY_KEY["gender"].header)] = "ຍິງ"
        row[header.index(COLUMNS_BY_KEY["village"].header)] = "ໜອງຫຼວງ"
        for day in days:
            row[header.index(day)] = "1"
        rows.append(row)
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(rows_to_xlsx(rows, title=session.code))
    return live_server.url, session, path


def sign_in(page, url):
    page.goto(url + "/admin/login/")
    page.fill("input[name='username']", "trainer")
    page.fill("input[name='password']", "secret-pass-123")
    page.locator("form.login-form [type='submit']").click()
    expect(page).to_have_url(url + "/admin/")


def upload(page, url, session, path):
    page.goto(url + reverse("sessions:import", args=[session.pk]))
    page.set_input_files("input[name='file']", str(path))
    page.locator("form[enctype] button[type='submit']").click()
    preview = page.locator("[data-testid=import-preview]")
    expect(preview).to_be_visible()
    return preview


def test_a_60_row_preview_in_lao_on_a_laptop_and_a_phone(browser, sheet):
    url, session, path = sheet

    laptop = browser.new_context(viewport=LAPTOP, locale="lo-LA")
    page = laptop.new_page()
    sign_in(page, url)
    preview = upload(page, url, session, path)
    expect(preview.locator("[data-testid=import-counts]")).to_have_text(
        "ຄົນໃໝ່: 5 · ມີໃນລະບົບແລ້ວ, ລົງທະບຽນເຂົ້າຊຸດນີ້ໃໝ່: 0 · ປັບປຸງ: 3 · ບໍ່ປ່ຽນແປງ: 52."
    )
    expect(preview.locator("[data-testid=import-rows] tbody tr")).to_have_count(60)
    expect(preview.locator("td.is-changed")).to_have_count(3)
    expect(preview.locator("[data-testid=unknown-villages] li")).to_have_count(1)
    screenshot(page, "trainer-import-preview-laptop.png")
    laptop.close()

    phone = browser.new_context(viewport=SMALL_PHONE, locale="lo-LA")
    page = phone.new_page()
    sign_in(page, url)
    preview = upload(page, url, session, path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "trainer-import-preview-phone.png")
    page.locator("[data-testid=import-rows]").scroll_into_view_if_needed()
    screenshot(page, "trainer-import-preview-rows-phone.png")

    # The village: one of Paksong's villages, chosen explicitly.
    page.locator("[data-testid=unknown-villages] select").select_option(label="ໜອງຫລວງ")
    page.locator("button[name=confirm]").click()
    expect(page).to_have_url(url + reverse("sessions:inspect", args=[session.pk]))
    phone.close()

    assert Enrolment.objects.filter(session=session).count() == 60
    assert Village.objects.count() == 2
    assert Enrolment.objects.filter(person__village__name_lo="ໜອງຫລວງ").count() == 5
    assert Attendance.objects.filter(status="absent").count() == 3
