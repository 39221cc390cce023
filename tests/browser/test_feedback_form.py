"""The participants' feedback form on a 360 px phone, in Lao by default, sent by
tapping (issue 18, item 1)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import Feedback
from feedback.services import feedback_link_ensure
from tests.browser.conftest import screenshot
from tests.browser.test_attendance_grid import SMALL_PHONE
from tests.factories import CourseFactory, SessionFactory


@pytest.fixture
def open_form(transactional_db, django_db_serialized_rollback, live_server):
    today = timezone.localdate()
    session = SessionFactory(
        course=CourseFactory(
            title_lo="ການຝຶກອົບຮົມຄູຝຶກ ດ້ານການປົກປ້ອງສັງຄົມຂັ້ນພື້ນຖານ",
            title_en="Training of Trainers on basic social protection",
        ),
        starts_on=today - datetime.timedelta(days=2),
        ends_on=today,
    )
    link = feedback_link_ensure(session=session)
    return f"{live_server.url}/feedback/{link.token}/", session


def test_a_participant_sends_the_form_in_lao_on_a_small_phone(browser, open_form):
    url, session = open_form
    context = browser.new_context(viewport=SMALL_PHONE, locale="en-US")
    page = context.new_page()

    page.goto(url)

    # Lao whatever the phone's language, the course named in Lao.
    expect(page.locator("html")).to_have_attribute("lang", "lo")
    expect(page.locator("h1")).to_have_text("ຄຳຄິດເຫັນຕໍ່ການຝຶກອົບຮົມ")
    expect(page.get_by_test_id("feedback-session")).to_contain_text("ການຝຶກອົບຮົມຄູຝຶກ")
    # Nothing wider than the phone: no sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"]
    screenshot(page, "feedback-phone-form.png")

    page.get_by_role("button", name="ສົ່ງ").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert not Feedback.objects.exists()

    for question, rating in (("relevance", 5), ("trainer", 4), ("materials", 4)):
        page.locator(f"[data-question={question}] input[value='{rating}']").check()
    page.locator("[data-question=recommend] input[value=yes]").check()
    page.get_by_label("ພວກເຮົາຄວນປັບປຸງຫຍັງແດ່?").fill("ຢາກໃຫ້ມີເວລາຝຶກຫຼາຍຂຶ້ນ")
    page.get_by_role("button", name="ສົ່ງ").click()

    expect(page.get_by_test_id("feedback-thanks")).to_be_visible()
    feedback = Feedback.objects.get()
    assert (feedback.relevance, feedback.trainer, feedback.materials) == (5, 4, 4)
    assert feedback.improve == "ຢາກໃຫ້ມີເວລາຝຶກຫຼາຍຂຶ້ນ"
    assert feedback.session == session

    # The language switch keeps the form: English on the same address.
    page.goto(url)
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Feedback on the training")
    context.close()
