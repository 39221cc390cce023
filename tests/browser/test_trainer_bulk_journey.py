"""Issue 15, item 9: a trainer on a 360 px phone, in Lao, runs a session of 40.

Adds 40 participants by pasting rows copied from a spreadsheet, takes three days of
attendance with "All present" and a few changes, types the pre- and post-test scores
in the score grid, completes the session and issues the certificates. Every user
action (a click, a field filled or pasted, a key pressed, an option chosen) is
counted per step; the counts are the ones written in docs/guide-trainer.md.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate
from people.models import Gender, Person
from tests.browser.conftest import screenshot
from tests.factories import (
    CourseFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
)
from trainings.models import Attendance, Course, Enrolment, Session

SMALL_PHONE = {"width": 360, "height": 740}
GIVEN_WOMEN = ["ບົວພັນ", "ມະນີວອນ", "ແສງດາວ", "ພອນສະຫວັນ", "ຄຳແພງ"]
GIVEN_MEN = ["ສົມສັກ", "ບຸນມີ", "ຄຳພອນ", "ວັນນະ", "ສີສະຫວາດ"]
FAMILY = ["ສີສຸວັນ", "ພົມມະຈັນ", "ວົງສະຫວັນ", "ແກ້ວມະນີ", "ໄຊຍະວົງ", "ອິນທະວົງ"]
ORGANISATIONS = ["ສປສ ແຂວງຈຳປາສັກ", "ຫ້ອງການແຮງງານ ເມືອງປາກເຊ", "ສະຫະພັນກຳມະບານ"]
POSITIONS = ["ພະນັກງານ", "ຫົວໜ້າໜ່ວຍງານ", "ຮອງຫົວໜ້າ"]
# The actions each step took when this was written; the guide quotes them.
MEASURED = {
    "add 40 participants by pasting": 4,
    "attendance, 3 days": 8,
    "pre- and post-test scores, 40 people": 162,
    "complete the session": 2,
    "issue the certificates": 2,
}


def spreadsheet_rows() -> list[list[str]]:
    """40 people as a trainer's own spreadsheet holds them: name, gender, phone,
    organisation, position (no header row)."""
    rows = []
    for number in range(40):
        woman = number % 2 == 0
        given = (GIVEN_WOMEN if woman else GIVEN_MEN)[number // 2 % 5]
        name = f"{'ນາງ' if woman else 'ທ້າວ'} {given} {FAMILY[number % 6]} {number + 1}"
        rows.append(
            [
                name,
                "ຍິງ" if woman else "ຊາຍ",
                f"020 5{number:03d} {1000 + number * 7}",
                ORGANISATIONS[number % 3],
                POSITIONS[number % 3],
            ]
        )
    return rows


class Actions:
    """Does what the trainer does on the page, counting each action per step."""

    def __init__(self, page):
        self.page = page
        self.counts: dict[str, int] = {}
        self.step = ""

    def begin(self, step: str) -> None:
        self.step = step
        self.counts[step] = 0

    def _counted(self) -> None:
        self.counts[self.step] += 1

    def click(self, locator, **options) -> None:
        locator.click(**options)
        self._counted()

    def fill(self, locator, text: str) -> None:
        """Typing a field, or pasting into it: one action."""
        locator.fill(text)
        self._counted()

    def choose(self, locator, value: str) -> None:
        locator.select_option(value)
        self._counted()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self._counted()

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self._counted()


@pytest.fixture
def empty_session(transactional_db, django_db_serialized_rollback, live_server):
    """A ToT of three days that are over, nobody enrolled yet, led by the trainer;
    two of the participants' organisations are already registered."""
    trainer = UserFactory(username="trainer", role="Trainers")
    for name in ORGANISATIONS[:2]:
        OrganisationFactory(name=name)
    today = timezone.localdate()
    session = SessionFactory(
        course=CourseFactory(
            kind=Course.Kind.TOT, min_attendance_percent=80, min_post_score=50
        ),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=8),
        capacity=45,
        created_by=trainer,
    )
    return live_server.url, session


def sign_in(page, url) -> None:
    page.goto(url + "/admin/login/")
    page.fill("input[name='username']", "trainer")
    page.fill("input[name='password']", "secret-pass-123")
    page.locator("form.login-form [type='submit']").click()
    expect(page).to_have_url(url + "/admin/")


def test_a_trainer_runs_a_session_of_40_on_a_phone(browser, empty_session):
    url, session = empty_session
    context = browser.new_context(viewport=SMALL_PHONE, locale="lo-LA")
    page = context.new_page()
    sign_in(page, url)
    session_page = url + reverse("sessions:inspect", args=[session.pk])
    page.goto(session_page)
    act = Actions(page)
    rows = spreadsheet_rows()

    # 1. Paste the 40 rows copied from the spreadsheet, check, confirm.
    act.begin("add 40 participants by pasting")
    act.click(page.locator(f"a[href$='/sessions/{session.pk}/paste/']"))
    pasted = "\n".join("\t".join(row) for row in rows)
    act.fill(page.locator("textarea[name='rows']"), pasted)
    act.click(page.locator("[data-testid=paste-form] button[type=submit]"))
    preview = page.locator("[data-testid=import-preview]")
    expect(preview.locator("tbody tr")).to_have_count(40)
    assert not Enrolment.objects.exists()  # nothing saved before confirming
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "trainer-paste-preview-phone.png")
    act.click(page.locator("button[name=confirm]"))
    expect(page).to_have_url(session_page)
    assert session.enrolments.filter(role=Enrolment.Role.PARTICIPANT).count() == 40
    first = Person.objects.get(full_name=rows[0][0])
    assert (first.gender, first.phone, first.organisation.name, first.position) == (
        Gender.WOMAN,
        rows[0][2],
        ORGANISATIONS[0],
        POSITIONS[0],
    )
    assert Person.objects.filter(gender=Gender.MAN).count() == 20

    # 2. Attendance: "All present" for each day, then the few changes — one
    # person missed the last two days, one was late on the first.
    act.begin("attendance, 3 days")
    act.click(page.locator(f"a[href$='/sessions/{session.pk}/attendance/']").first)
    days = list(session.days.all())
    enrolments = list(session.enrolments.order_by("person__full_name"))
    absent, late = enrolments[5], enrolments[11]
    for day in days:
        act.click(page.locator(f"[data-fill-day='{day.pk}']"))
    for day in days[1:]:
        act.choose(page.locator(f"select[name='cell-{absent.pk}-{day.pk}']"), "absent")
    act.choose(page.locator(f"select[name='cell-{late.pk}-{days[0].pk}']"), "late")
    act.click(page.locator("form[data-attendance-grid] p > button[type=submit]"))
    expect(page).to_have_url(session_page)
    assert Attendance.objects.filter(status="present").count() == 40 * 3 - 3
    assert Attendance.objects.filter(enrolment=absent, status="absent").count() == 2
    assert Attendance.objects.filter(enrolment=late, status="late").count() == 1

    # 3. Scores: the pre-test column down the list, then the post-test column
    # (Tab goes down a column, as a paper list is read); two people score under
    # the course's 50. Enter in the last box saves.
    act.begin("pre- and post-test scores, 40 people")
    act.click(page.locator(f"a[href$='/sessions/{session.pk}/scores/']").first)
    failing = {enrolments[20].pk, enrolments[33].pk}
    act.click(page.locator(f"#pre-{enrolments[0].pk}"))
    for _enrolment in enrolments:
        act.type("35")
        act.press("Tab")
    for index, enrolment in enumerate(enrolments):
        act.type("40" if enrolment.pk in failing else "໗໕")  # Lao digits: 75
        if index < len(enrolments) - 1:
            act.press("Tab")
    act.press("Enter")
    expect(page).to_have_url(session_page)
    assert Enrolment.objects.filter(pre_score=35).count() == 40
    assert Enrolment.objects.filter(post_score=75).count() == 38
    warning = page.locator("[data-testid=will-not-complete] li")
    expect(warning).to_have_count(3)  # the absent one and the two who failed

    # 4. Complete the session.
    act.begin("complete the session")
    act.click(page.locator(f"a[href$='/sessions/{session.pk}/complete/']"))
    act.click(page.locator("main form button[type=submit]"))
    summary = page.locator("[data-testid=completion-summary]")
    expect(summary).to_contain_text("37")
    session.refresh_from_db()
    assert session.status == Session.Status.COMPLETED
    assert session.enrolments.filter(status=Enrolment.Status.COMPLETED).count() == 37
    assert not session.enrolments.filter(
        pk__in=[absent.pk, *failing], status=Enrolment.Status.COMPLETED
    ).exists()

    # 5. Issue the certificates: back to the session, one button.
    act.begin("issue the certificates")
    back = reverse("sessions:inspect", args=[session.pk])
    act.click(page.locator(f"main a.button[href='{back}']"))
    # With Celery eager (SQLite) the request lays out the 37 certificates itself
    # before the job page opens: on a loaded machine more than the 30 s default.
    act.click(page.locator("[data-testid=issue-certificates]"), timeout=120_000)
    expect(page).to_have_url(re.compile(r"/admin/certificates/jobs/\d+/$"))
    expect(page.locator("[data-job-field=done]")).to_have_text("37", timeout=120_000)
    assert Certificate.objects.filter(enrolment__session=session).count() == 37
    context.close()

    print("Actions per step:", act.counts)
    assert act.counts == MEASURED
