"""The session page's Learning table for 60 scored participants, in Lao, on a 360 px
phone and a laptop (issue 18, item 1)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from people.models import Gender
from tests.browser.conftest import screenshot
from tests.browser.test_attendance_grid import DESKTOP, SMALL_PHONE, sign_in
from tests.factories import CourseFactory, PersonFactory, SessionFactory, UserFactory
from trainings.models import Enrolment
from trainings.services import attendance_record_day, enrolment_add

NAMES = ["ບົວພັນ ສີສຸວັນ", "ສົມສັກ ພົມມະຈັນ", "ມະນີວອນ ວົງສະຫວັນ", "ບຸນມີ ແກ້ວມະນີ"]


@pytest.fixture
def scored_session(transactional_db, django_db_serialized_rollback, live_server):
    trainer = UserFactory(username="trainer", role="Trainers")
    today = timezone.localdate()
    session = SessionFactory(
        course=CourseFactory(min_post_score=50),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=8),
        created_by=trainer,
    )
    enrolments = []
    for number in range(60):
        gender = Gender.WOMAN if number % 3 else Gender.MAN
        person = PersonFactory(
            full_name=f"{NAMES[number % 4]} {number + 1}", gender=gender
        )
        enrolment, _created = enrolment_add(session=session, person=person)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            pre_score=Decimal(30 + number % 20), post_score=Decimal(45 + number % 30)
        )
        enrolments.append(enrolment)
    # Everyone came every day, but for two who missed the last two days.
    for index, day in enumerate(session.days.all()):
        attendance_record_day(
            day=day,
            statuses={
                e.pk: "absent" if index and number in (4, 9) else "present"
                for number, e in enumerate(enrolments)
            },
        )
    return live_server.url, session


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["phone", "laptop"])
def test_the_learning_table_reads_in_lao(browser, scored_session, viewport):
    url, session = scored_session
    context = browser.new_context(viewport=viewport, locale="lo-LA")
    page = context.new_page()
    sign_in(page, url)

    page.goto(url + reverse("sessions:inspect", args=[session.pk]))
    table = page.get_by_test_id("learning")
    table.scroll_into_view_if_needed()

    expect(page.locator("#learning")).to_have_text("ຜົນການຮຽນຮູ້")
    first_row = table.locator("tbody tr").first
    expect(first_row.locator("th")).to_have_text("ທັງໝົດ")
    expect(first_row.locator("td").first).to_have_text("60")
    # Figures line up on the right, whatever the screen.
    assert (
        first_row.locator("td").first.evaluate(
            "cell => getComputedStyle(cell).textAlign"
        )
        == "right"
    )
    screenshot(page, f"trainer-learning-{viewport['width']}.png")
    context.close()


def test_the_session_page_and_its_completion_read_in_lao(browser, scored_session):
    """The trainer's guide pictures of the session page and of completion."""
    url, session = scored_session
    context = browser.new_context(viewport=DESKTOP, locale="lo-LA")
    page = context.new_page()
    sign_in(page, url)

    page.goto(url + reverse("sessions:inspect", args=[session.pk]))
    expect(page.get_by_test_id("participant-counts")).to_contain_text("60")
    screenshot(page, "trainer-session.png")

    page.goto(url + reverse("sessions:complete", args=[session.pk]))
    page.locator("form[method=post] button.button[type=submit]").click()
    summary = page.get_by_test_id("completion-summary")
    expect(summary).to_be_visible()
    session.refresh_from_db()
    assert session.status == "completed"
    # 2 missed days; post-test scores of 45–49 are under the course's 50.
    completed = session.enrolments.filter(status=Enrolment.Status.COMPLETED).count()
    assert 0 < completed < 60
    screenshot(page, "trainer-complete.png")
    context.close()
