"""A ToT's "After the training" block and the trainer roster, in Lao, on a 360 px
phone and a laptop (issue 18, items 2 and 3)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from people.models import Gender
from tests.browser.conftest import screenshot
from tests.browser.test_attendance_grid import DESKTOP, SMALL_PHONE
from tests.factories import (
    CourseFactory,
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    UserFactory,
    enrol,
    mark_completed,
    record_meeting,
)
from trainings.models import Course
from trainings.services import course_qualifies_for_set, session_complete

GRADUATES = [
    ("ນາງ ບົວພັນ ສີສຸກ", Gender.WOMAN),
    ("ນາງ ມະນີວອນ ພົມມະຈັນ", Gender.WOMAN),
    ("ທ້າວ ບຸນມີ ພົມວິຫານ", Gender.MAN),
]


@pytest.fixture
def tot_with_reach(transactional_db, django_db_serialized_rollback, live_server):
    UserFactory(username="admin", role="Administrators")
    farm = CourseFactory(
        title_lo="ການປະກັນສັງຄົມ ສຳລັບຜູ້ອອກແຮງງານກະສິກຳ",
        title_en="Social security for farm workers",
        kind=Course.Kind.SHORT_COURSE,
    )
    tot = SessionFactory()
    empty_tot = SessionFactory(
        starts_on=datetime.date(2030, 3, 1), ends_on=datetime.date(2030, 3, 3)
    )
    people = [PersonFactory(full_name=name, gender=g) for name, g in GRADUATES]
    for enrolment in enrol(tot, *people):
        mark_completed(enrolment)
    session_complete(session=tot, today=datetime.date(2022, 6, 17))
    course_qualifies_for_set(course=tot.course, courses=[farm])
    downstream = SessionFactory(
        course=farm,
        starts_on=datetime.date(2022, 8, 20),
        ends_on=datetime.date(2022, 8, 20),
        led_by=people[:2],
    )
    villagers = [
        PersonFactory(
            full_name=f"ຊາວບ້ານ {n}", gender=Gender.WOMAN if n % 2 else Gender.MAN
        )
        for n in range(9)
    ]
    for enrolment in enrol(downstream, *villagers):
        mark_completed(enrolment)
    promoter = PromoterFactory(person=people[2])
    record_meeting(
        promoter,
        date=datetime.date(2023, 6, 10),
        turnout={"women": 20, "men": 12},
        registrations={"women": 5, "men": 2},
    )
    return live_server.url, tot, empty_tot


def _sign_in(page, url):
    page.goto(url + "/admin/login/")
    page.fill("input[name='username']", "admin")
    page.fill("input[name='password']", "secret-pass-123")
    page.locator("form.login-form [type='submit']").click()
    expect(page).to_have_url(url + "/admin/")


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["phone", "laptop"])
def test_impact_and_roster_read_in_lao(browser, tot_with_reach, viewport):
    url, tot, empty_tot = tot_with_reach
    context = browser.new_context(viewport=viewport, locale="lo-LA")
    page = context.new_page()
    _sign_in(page, url)
    width = viewport["width"]

    page.goto(url + reverse("sessions:inspect", args=[tot.pk]))
    impact = page.get_by_test_id("impact")
    impact.scroll_into_view_if_needed()
    expect(page.locator("#impact")).to_have_text("ຫຼັງການຝຶກອົບຮົມ")
    expect(page.locator("[data-figure=impact-graduates]")).to_contain_text("3")
    expect(page.locator("[data-figure=impact-people-trained]")).to_contain_text("9")
    expect(page.locator("[data-figure=impact-reached]")).to_contain_text("32")
    page.locator("#impact").evaluate("heading => heading.scrollIntoView()")
    screenshot(page, f"trainer-impact-{width}.png")
    # Nothing runs off the side of the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(url + reverse("sessions:inspect", args=[empty_tot.pk]))
    expect(page.get_by_test_id("impact-empty")).to_be_visible()

    page.goto(url + reverse("trainer_roster:index"))
    expect(page.locator("main")).to_contain_text("ບົວພັນ")
    expect(page.locator("main")).to_contain_text("ຜູ້ທີ່ພວກເຂົາຝຶກອົບຮົມ")
    screenshot(page, f"administrator-roster-{width}.png")
    context.close()
