"""A trainer runs a session in the admin: create, sheet in, attendance, completion.

The trainer has chosen English, so this is the English admin's journey; the guide's
pictures are taken in Lao by the other trainer journeys.
"""

import datetime
import re
import warnings

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Error, expect
from wagtail.users.models import UserProfile

from tests.browser.conftest import RESULTS
from tests.factories import CourseFactory, DistrictFactory, UserFactory
from trainings.models import Course, Enrolment, Session
from trainings.sheets import COLUMNS

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
# The filled sign-in sheet: name, gender, phone, and whether they came every day.
PEOPLE = [
    ("ນາງ ບົວພັນ ສີສຸວັນ", "ຍິງ", "020 5551 2301", True),
    ("ນາງ ມະນີວອນ ພົມມະຈັນ", "ຍິງ", "020 5551 2302", True),
    ("ນາງ ແສງດາວ ວົງສະຫວັນ", "ຍິງ", "020 5551 2303", True),
    ("ທ້າວ ສົມສັກ ແກ້ວມະນີ", "ຊາຍ", "020 5551 2304", True),
    ("ທ້າວ ບຸນມີ ໄຊຍະວົງ", "ຊາຍ", "020 5551 2305", False),
]
ABSENT_MAN = PEOPLE[4][0]


@pytest.fixture
def trainer_site(transactional_db, django_db_serialized_rollback, live_server):
    """The live server, a trainer who reads the admin in English, a course, a place.

    See test_public_journey.live_site for why the database fixtures are needed.
    """
    trainer = UserFactory(username="trainer", role="Trainers")
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "en"
    profile.save()
    course = CourseFactory(kind=Course.Kind.TOT, min_attendance_percent=80)
    district = DistrictFactory(name_lo="ເມືອງປາກເຊ", name_en="Pakse")
    return live_server.url, course, district


@pytest.fixture
def admin_page(browser, request):
    """A desktop-sized tab: trainers do this work on an office computer."""
    context = browser.new_context(
        viewport=DESKTOP_VIEWPORT, locale="lo-LA", accept_downloads=True
    )
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        try:
            tab.screenshot(path=str(RESULTS / f"{request.node.name}.png"))
        except Error as error:  # a crashed tab must not hide the test's own failure
            warnings.warn(f"No screenshot: {error}", stacklevel=1)
    context.close()


def expect_message(page, text: str) -> None:
    """A message from the server, slid into view once the page is "ready"."""
    expect(page.locator(".messages")).to_contain_text(text)
    expect(page.locator("body")).to_have_class(re.compile(r"\bready\b"))


def test_trainer_runs_a_session_from_creation_to_completion(
    admin_page, trainer_site, tmp_path
):
    page = admin_page
    url, course, district = trainer_site
    today = timezone.localdate()
    # Three days that are over, so the session can be completed at the end.
    days = [today - datetime.timedelta(days=offset) for offset in (10, 9, 8)]

    # 1. Sign in.
    page.goto(url + "/admin/login/")
    page.fill("input[name='username']", "trainer")
    page.fill("input[name='password']", "secret-pass-123")
    page.locator("form.login-form [type='submit']").click()
    expect(page).to_have_url(url + "/admin/")

    # 2. Create the session through the admin form.
    page.goto(url + reverse("sessions:add"))
    page.select_option("select[name='course']", label=course.title_en)
    page.fill("input[name='starts_on']", days[0].isoformat())
    page.fill("input[name='ends_on']", days[-1].isoformat())
    page.fill("input[name='venue']", "LSSO Champasak, meeting room 2")
    page.select_option("select[name='district']", value=str(district.pk))
    page.get_by_role("button", name="Create").click()
    expect_message(page, "created")

    # Saving goes to the new session's page (issue 15, item 7).
    session = Session.objects.get()
    expect(page).to_have_url(url + reverse("sessions:inspect", args=[session.pk]))
    assert session.created_by.username == "trainer"
    assert [day.date for day in session.days.all()] == days
    expect(
        page.get_by_role(
            "heading", name=f"{session.code} · {course.title_en}", exact=True
        )
    ).to_be_visible()
    expect(page.locator("[data-testid=participant-counts]")).to_have_text(
        "0 participants: 0 women, 0 men"
    )

    # 3. Download the spreadsheet template and fill it in, as a trainer would.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="spreadsheet template (Excel)").click()
    download = download_info.value
    assert download.suggested_filename == f"{session.code}.xlsx"
    template = tmp_path / download.suggested_filename
    download.save_as(template)

    workbook = load_workbook(template)
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Full name / ຊື່ ແລະ ນາມສະກຸນ"
    assert header[2] == "Gender / ເພດ"
    assert header[4] == "Phone / ເບີໂທ"
    assert header == [column.header for column in COLUMNS] + [
        day.isoformat() for day in days
    ]
    assert sheet.max_row == 1  # nobody is enrolled yet
    column = {title: index for index, title in enumerate(header)}
    for name, gender, phone, came in PEOPLE:
        row = [""] * len(header)
        row[column["Full name / ຊື່ ແລະ ນາມສະກຸນ"]] = name
        row[column["Gender / ເພດ"]] = gender
        row[column["Phone / ເບີໂທ"]] = phone
        for day in days:
            row[column[day.isoformat()]] = "1" if came else "0"
        sheet.append(row)
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)

    # 4. Upload it, read the preview, confirm.
    page.get_by_role("link", name="Import sign-in sheet").click()
    page.set_input_files("input[name='file']", filled)
    page.get_by_role("button", name="Check the sheet").click()
    preview = page.locator("[data-testid=import-preview]")
    expect(preview).to_contain_text("Preview — nothing is saved yet.")
    expect(preview).to_contain_text(
        "New people: 5 · already registered, newly enrolled: 0 · updated: 0 · "
        "unchanged: 0."
    )
    expect(preview.locator("[data-testid=import-rows] tbody tr")).to_have_count(5)
    expect(preview).to_contain_text(ABSENT_MAN)
    assert not Enrolment.objects.exists()  # nothing is saved before confirming

    page.get_by_role("button", name="Confirm and save").click()
    expect(page).to_have_url(url + reverse("sessions:inspect", args=[session.pk]))
    expect_message(
        page,
        "Sheet imported. New people: 5 · already registered, newly enrolled: 0 · "
        "updated: 0 · unchanged: 0.",
    )
    expect(page.locator("[data-testid=participant-counts]")).to_have_text(
        "5 participants: 3 women, 2 men"
    )
    expect(page.locator(".suksa-session tbody tr")).to_have_count(5)

    # 5. Correct one cell: the absent man did come on the first day.
    page.get_by_role("link", name="Take attendance").click()
    enrolment = Enrolment.objects.get(person__full_name=ABSENT_MAN)
    first_day = session.days.first()
    cell = page.locator(f"select[name='cell-{enrolment.pk}-{first_day.pk}']")
    expect(cell).to_have_value("absent")
    cell.select_option(label="Present")
    expect(cell).to_have_value("present")
    page.get_by_role("button", name="Save attendance").click()
    expect(page).to_have_url(url + reverse("sessions:inspect", args=[session.pk]))
    expect_message(page, "Attendance saved")

    # 6. Complete the session. The course asks for 80 % of the days: the four who
    # came every day have 3 of 3 (100 %); the corrected man has 1 of 3, which rounds
    # to 33 %, so he does not complete. That leaves 3 women and 1 man.
    page.get_by_role("link", name="Complete the session").click()
    expect(page.locator("main")).to_contain_text("at least 80 % of the days")
    page.get_by_role("button", name="Complete the session").click()
    summary = page.locator("[data-testid=completion-summary]")
    expect(summary).to_contain_text("5 participants: 3 women, 2 men")
    expect(summary).to_contain_text("4 completed: 3 women, 1 man")
    results = page.locator("table.listing tbody tr")
    expect(results).to_have_count(5)
    absent_row = results.filter(has_text=ABSENT_MAN)
    expect(absent_row).to_contain_text("Did not complete")
    expect(absent_row).to_contain_text("Attended 1 of 3 days (33 %); 80 % required")
    expect(results.filter(has_text="Did not complete")).to_have_count(1)

    page.get_by_role("link", name="Back to the session").click()
    expect(page.locator("[data-testid=participant-counts]")).to_have_text(
        "5 participants: 3 women, 2 men"
    )
    expect(page.locator("[data-testid=completed-counts]")).to_have_text(
        "4 completed: 3 women, 1 man"
    )
    session.refresh_from_db()
    assert session.status == Session.Status.COMPLETED
