"""The trainer roster and the follow-ups of trainees read on a 360 px phone in Lao: no
column cut at the right edge, the table never wider than the screen; on a laptop every
column shows (issue 18 follow-up i18h, item 1)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_attendance_grid import DESKTOP, SMALL_PHONE
from tests.browser.test_tot_impact import _sign_in, tot_with_reach  # noqa: F401
from trainings.services import trainee_follow_ups_ensure

LISTS = [
    ("trainer_roster:index", "roster", "ບົວພັນ"),
    ("trainee_follow_ups:index", "follow-ups", "ບົວພັນ"),
]


def _table_fits(page, width: int) -> None:
    table = page.locator("table.listing").first
    box = table.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= width + 1, "the list runs off the screen"
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    ), "the page scrolls sideways"
    for header in table.locator("thead th").all():
        if header.is_visible():
            head = header.bounding_box()
            assert head["x"] + head["width"] <= width + 1, header.inner_text()


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["phone", "laptop"])
def test_roster_and_follow_ups_fit_the_screen(browser, tot_with_reach, viewport):  # noqa: F811
    url, tot, _ = tot_with_reach
    trainee_follow_ups_ensure(sessions=[tot], today=datetime.date(2023, 6, 1))
    context = browser.new_context(viewport=viewport, locale="lo-LA")
    page = context.new_page()
    _sign_in(page, url)
    width = viewport["width"]
    for url_name, name, text in LISTS:
        page.goto(url + reverse(url_name))
        expect(page.locator("table.listing tbody")).to_contain_text(text)
        _table_fits(page, width)
        headings = page.locator("table.listing thead th")
        visible = [h for h in headings.all() if h.is_visible()]
        if width >= 1280:
            assert len(visible) == headings.count()
        else:  # fewer columns on a phone
            assert len(visible) < headings.count()
        screenshot(page, f"i18h-{name}-{width}.png")
    context.close()


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["phone", "laptop"])
def test_the_programme_panel_follows_the_course(browser, tot_with_reach, viewport):  # noqa: F811
    """i18h item 2: "Long programme or abroad" (institution, expected end) shows for
    a long programme or a session abroad, not for a short course in Laos."""
    from tests.factories import CourseFactory
    from trainings.models import Course

    url, tot, _ = tot_with_reach
    masters = CourseFactory(
        title_lo="ປະລິນຍາໂທ ດ້ານປະກັນສັງຄົມ",
        title_en="Master's in social security",
        kind=Course.Kind.LONG_PROGRAMME,
    )
    context = browser.new_context(viewport=viewport, locale="lo-LA")
    page = context.new_page()
    _sign_in(page, url)
    width = viewport["width"]
    page.goto(url + reverse("sessions:add"))
    institution = page.locator("input[name=institution]")

    page.select_option("select[name=course]", str(tot.course.pk))
    expect(institution).to_be_hidden()
    page.select_option("select[name=course]", str(masters.pk))
    expect(institution).to_be_visible()
    institution.scroll_into_view_if_needed()
    screenshot(page, f"i18h-programme-panel-{width}.png")
    page.select_option("select[name=course]", str(tot.course.pk))
    expect(institution).to_be_hidden()
    page.select_option("select[name=country]", "TH")
    expect(institution).to_be_visible()
    context.close()
