"""Follow-ups of trainees in Lao on a 360 px phone: the admin's list and form for a
trainer, the portal's After my training for a promoter who was a trainee (issue 18,
item 2)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_attendance_grid import SMALL_PHONE, sign_in
from tests.factories import (
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    UserFactory,
    enrol,
)
from trainings.models import Enrolment, TraineeFollowUp
from trainings.services import trainee_follow_ups_ensure

NAMES = ["ນາງ ບົວພັນ ສີສຸວັນ", "ທ້າວ ສົມສັກ ພົມມະຈັນ", "ນາງ ມະນີວອນ ວົງສະຫວັນ"]


@pytest.fixture
def followed_session(transactional_db, django_db_serialized_rollback, live_server):
    """A trainer's session that ended four months ago: its 3-month follow-ups are
    due, its 6-month ones ahead. One trainee is a promoter with a portal account."""
    trainer = UserFactory(username="trainer", role="Trainers")
    today = timezone.localdate()
    session = SessionFactory(
        starts_on=today - datetime.timedelta(days=125),
        ends_on=today - datetime.timedelta(days=123),
        created_by=trainer,
    )
    promoter_user = UserFactory(username="phet", role="Promoters")
    promoter = PromoterFactory(
        person=PersonFactory(full_name="ທ້າວ ເພັດ ສີລາວົງ", user=promoter_user)
    )
    people = [
        PersonFactory(full_name=f"{name} {n}") for n in range(4) for name in NAMES
    ]
    enrolments = enrol(session, promoter.person, *people)
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
        status="completed"
    )
    trainee_follow_ups_ensure(sessions=[session], today=today)
    return live_server.url, session


def _no_sideways_scroll(page) -> None:
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    ), "the page scrolls sideways"


def test_a_trainer_records_a_follow_up_in_lao_on_a_phone(browser, followed_session):
    url, session = followed_session
    context = browser.new_context(viewport=SMALL_PHONE, locale="lo-LA")
    page = context.new_page()
    sign_in(page, url)

    page.goto(url + reverse("trainee_follow_ups:index"))
    expect(page.locator("h1")).to_contain_text("ການຕິດຕາມຜູ້ເຂົ້າຮັບການຝຶກອົບຮົມ")
    expect(page.locator("tbody tr").first).to_contain_text("ກາຍກຳນົດ")
    screenshot(page, "trainer-follow-ups-360.png")

    page.locator("tbody tr").first.locator("a").first.click()
    expect(page.locator("input[name=status][value=done]")).to_be_checked()
    _no_sideways_scroll(page)
    screenshot(page, "trainer-follow-up-form-360.png")
    page.locator("input[name=used_learning][value=partly]").check()
    page.fill("input[name=people_trained]", "6")
    page.fill("textarea[name=comment]", "ໂທລົມກັນທາງໂທລະສັບ")
    page.locator("form[method=post] button.button[type=submit]").first.click()

    expect(page).to_have_url(url + reverse("trainee_follow_ups:index"))
    done = TraineeFollowUp.objects.get(status="done")
    assert (done.used_learning, done.people_trained) == ("partly", 6)
    assert done.recorded_by.username == "trainer"
    context.close()


def test_a_promoter_answers_in_the_portal_in_lao_on_a_phone(browser, followed_session):
    url, _session = followed_session
    context = browser.new_context(viewport=SMALL_PHONE, locale="lo-LA")
    page = context.new_page()
    page.goto(url + "/lo/portal/login/")
    page.fill("input[name=username]", "phet")
    page.fill("input[name=password]", "secret-pass-123")
    page.locator("form [type=submit]").first.click()
    expect(page).to_have_url(url + "/lo/portal/")

    page.goto(url + "/lo/portal/follow-ups/")
    cards = page.get_by_test_id("follow-ups")
    expect(cards.locator("li")).to_have_count(2)
    expect(cards).to_contain_text("ຕອບດຽວນີ້")
    _no_sideways_scroll(page)
    screenshot(page, "promoter-follow-ups-360.png")

    page.get_by_text("ຕອບດຽວນີ້").click()
    send = page.get_by_test_id("follow-up-form").locator("button[type=submit]")
    send.click()  # nothing chosen
    expect(page.locator("#id_used_learning_error")).to_be_visible()
    page.locator("input[name=used_learning][value=yes]").check()
    page.fill("input[name=meetings_led]", "2")
    _no_sideways_scroll(page)
    screenshot(page, "promoter-follow-up-form-360.png")
    send.click()

    expect(page).to_have_url(url + "/lo/portal/follow-ups/")
    expect(page.locator(".messages")).to_contain_text("ຂອບໃຈ")
    answered = TraineeFollowUp.objects.get(status="done")
    assert answered.meetings_led == 2
    assert answered.enrolment.person.user.username == "phet"
    context.close()
