"""Attendance and scores for a real session (40 people × 3 days) on a 360 px phone,
in Lao: "all present", a few changes, totals that follow, sticky names.

Screenshots at 360 px and 1280 px are written for the guide (see conftest.screenshot).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import CourseFactory, PersonFactory, SessionFactory, UserFactory
from trainings.models import Attendance, Enrolment
from trainings.services import enrolment_add

SMALL_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
GIVEN = ["ບົວພັນ", "ມະນີວອນ", "ແສງດາວ", "ສົມສັກ", "ບຸນມີ", "ຄຳພອນ", "ວັນນະ", "ພອນສະຫວັນ"]
FAMILY = ["ສີສຸວັນ", "ພົມມະຈັນ", "ວົງສະຫວັນ", "ແກ້ວມະນີ", "ໄຊຍະວົງ"]


@pytest.fixture
def big_session(transactional_db, django_db_serialized_rollback, live_server):
    """A trainer's ToT of 40 participants over three days that are over."""
    trainer = UserFactory(username="trainer", role="Trainers")
    today = timezone.localdate()
    session = SessionFactory(
        course=CourseFactory(min_post_score=50),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=8),
        created_by=trainer,
    )
    for number in range(40):
        title = "ນາງ" if number % 2 else "ທ້າວ"
        name = f"{title} {GIVEN[number % 8]} {FAMILY[number % 5]} {number + 1}"
        enrolment_add(session=session, person=PersonFactory(full_name=name))
    return live_server.url, session


def sign_in(page, url):
    page.goto(url + "/admin/login/")
    page.fill("input[name='username']", "trainer")
    page.fill("input[name='password']", "secret-pass-123")
    page.locator("form.login-form [type='submit']").click()
    expect(page).to_have_url(url + "/admin/")


def test_attendance_for_40_people_on_a_small_phone_in_lao(browser, big_session):
    url, session = big_session
    context = browser.new_context(viewport=SMALL_PHONE, locale="lo-LA")
    page = context.new_page()
    sign_in(page, url)
    page.goto(url + reverse("sessions:attendance", args=[session.pk]))
    days = list(session.days.all())
    enrolments = list(session.enrolments.order_by("person__full_name"))

    # "All present" for each day: three taps instead of 120 selects.
    for day in days:
        page.locator(f"[data-fill-day='{day.pk}']").click()
    for day in days:
        expect(page.locator(f"[data-day-total='{day.pk}']")).to_have_text(
            "40/40 · 100 %"
        )
    # A few changes: one person missed two days, one was late.
    absent, late = enrolments[3], enrolments[7]
    for day in days[1:]:
        page.locator(f"select[name='cell-{absent.pk}-{day.pk}']").select_option(
            "absent"
        )
    page.locator(f"select[name='cell-{late.pk}-{days[0].pk}']").select_option("late")
    absent_row = page.locator(f"tr[data-person='{absent.pk}']")
    expect(absent_row.locator("[data-person-total]")).to_have_text("1/3 · 33 %")
    expect(absent_row.locator("[data-person-total]")).to_have_class(
        "suksa-grid__total is-below"
    )
    expect(page.locator(f"[data-day-total='{days[1].pk}']")).to_have_text(
        "39/40 · 98 %"
    )
    cell = absent_row.locator("td[data-status='absent']").first
    assert cell.evaluate("c => getComputedStyle(c).backgroundColor") == (
        "rgb(251, 217, 215)"
    )

    # The names stay in view while the days scroll sideways, and break only
    # between words: each word is on one line.
    name = absent_row.locator("th")
    before = name.bounding_box()["x"]
    page.locator(".suksa-grid-scroll").evaluate("box => { box.scrollLeft = 400; }")
    assert abs(name.bounding_box()["x"] - before) < 1
    page.locator(".suksa-grid-scroll").evaluate("box => { box.scrollLeft = 0; }")
    words = name.locator(".suksa-grid__person > span")
    for index in range(words.count()):
        assert words.nth(index).evaluate("w => w.getClientRects().length") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "trainer-attendance-grid-phone.png")

    page.locator("button.button:not(.suksa-grid__fill)", has_text="ບັນທຶກ").last.click()
    expect(page).to_have_url(url + reverse("sessions:inspect", args=[session.pk]))
    assert Attendance.objects.filter(status="present").count() == 40 * 3 - 3
    assert Attendance.objects.filter(enrolment=absent, status="absent").count() == 2

    # The session page already says who would not complete: nobody has scores yet.
    expect(page.locator("[data-testid=will-not-complete]")).to_contain_text("40")

    # Scores: the post-test column typed with the keyboard, Lao digits included;
    # Tab and Enter both go down the column to the next person.
    page.goto(url + reverse("sessions:scores", args=[session.pk]))
    page.locator(f"#post-{enrolments[0].pk}").click()
    for index in range(len(enrolments)):
        page.keyboard.type("໗໕" if index % 2 else "60")
        if index < len(enrolments) - 1:
            page.keyboard.press("Enter" if index % 3 else "Tab")
            expect(page.locator(f"#post-{enrolments[index + 1].pk}")).to_be_focused()
    screenshot(page, "trainer-scores-phone.png")
    page.keyboard.press("Enter")
    expect(page).to_have_url(url + reverse("sessions:inspect", args=[session.pk]))
    assert Enrolment.objects.filter(post_score__gte=50).count() == 40
    assert Enrolment.objects.filter(post_score=75).count() == 20
    expect(page.locator("[data-testid=will-not-complete]")).to_contain_text(
        absent.person.full_name
    )
    expect(page.locator("[data-testid=will-not-complete] li")).to_have_count(1)
    context.close()

    desktop = browser.new_context(viewport=DESKTOP, locale="lo-LA")
    page = desktop.new_page()
    sign_in(page, url)
    page.goto(url + reverse("sessions:attendance", args=[session.pk]))
    expect(page.locator(f"[data-day-total='{days[1].pk}']")).to_have_text(
        "39/40 · 98 %"
    )
    screenshot(page, "trainer-attendance-grid-desktop.png")
    desktop.close()
