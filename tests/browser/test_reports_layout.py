"""Issue 16 item 10: the manager's home and the Reports page, laid out for a 1366 px
laptop and a 360 px phone, in Lao, with the demo's figures (47 people trained in
three provinces, 18 provinces and 148 districts to choose from).

The phone picture illustrates the manager's guide (docs/img/manager-reports-phone.png);
test_manager_journey takes the others.
"""

import pytest
from playwright.sync_api import expect

from operations.demo import demo_seed
from places.models import District, Province
from tests.browser.conftest import RESULTS, committed_live_server, screenshot

PASSWORD = "demo-pass-2022"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
ALL_TIME = "/admin/reports/?year="


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker, migrated_state):
    """A live server with the demo loaded once for this module's tests, which only
    read it (see committed_live_server)."""
    with committed_live_server(
        django_db_blocker, migrated_state, lambda: demo_seed(password=PASSWORD)
    ) as server:
        yield server


@pytest.fixture
def demo_site(db, demo_server):
    return demo_server.url


@pytest.fixture
def manager(browser, demo_site):
    """The demo manager, signed in, on a laptop-sized tab in Lao."""
    context = browser.new_context(viewport=LAPTOP, locale="lo-LA")
    page = context.new_page()
    page.goto(demo_site + "/admin/login/")
    page.fill("input[name='username']", "manager")
    page.fill("input[name='password']", PASSWORD)
    page.locator("form.login-form [type='submit']").click()
    expect(page.locator(".suksa-dashboard")).to_be_visible()
    yield page
    context.close()


def look(page, name: str) -> None:
    """A picture to look at (test-results/look/), not one for the guide."""
    (RESULTS / "look").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS / "look" / name), animations="disabled")


def box(locator) -> dict:
    result = locator.bounding_box()
    assert result is not None
    return result


def text_align(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).textAlign")


def tables_fit(page) -> list[str]:
    """The tables whose content is wider than their box (cut or scrolling)."""
    return page.locator(".suksa-table-scroll").evaluate_all(
        """boxes => boxes
          .filter(box => box.scrollWidth > box.clientWidth + 1)
          .map(box => box.querySelector('th').innerText)"""
    )


def test_the_dashboard_is_aligned_with_numbers_on_the_right(manager):
    page = manager
    panel = page.locator(".suksa-dashboard")
    heading = panel.locator(".w-panel__heading")
    table = panel.locator("table")
    look(page, "dashboard-1366.png")

    assert abs(box(heading)["x"] - box(table)["x"]) <= 2
    assert text_align(table.locator("tbody td").first) == "right"
    assert text_align(table.locator("thead th").nth(1)) == "right"
    assert text_align(table.locator("tbody th").first) == "left"


def test_the_reports_page_fits_a_laptop(manager, demo_site):
    page = manager
    page.goto(demo_site + ALL_TIME)

    look(page, "reports-1366.png")
    actions = page.locator(".suksa-report-filters__actions > *")
    assert len({round(box(actions.nth(i))["y"]) for i in range(3)}) == 1
    downloads = page.locator(".suksa-downloads > a")
    assert len({round(box(downloads.nth(i))["y"]) for i in range(4)}) == 1
    expect(page.locator("[data-report-filters-box]")).to_have_attribute("open", "")
    assert (
        page.locator(".suksa-report-filters > div").evaluate_all(
            """cells => cells.filter(cell => {
          const field = cell.querySelector('input, select');
          return field && field.getBoundingClientRect().right >
            cell.getBoundingClientRect().right + 1;
        }).length"""
        )
        == 0
    )  # every field inside its cell
    page.locator(
        ".suksa-outreach .suksa-chart-block"
    ).first.scroll_into_view_if_needed()
    look(page, "reports-coverage-1366.png")
    assert tables_fit(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    # Charts are drawn 320 units wide: at 30rem at most, their labels stay readable.
    widths = page.locator("svg.suksa-chart").evaluate_all(
        "charts => charts.map(chart => chart.getBoundingClientRect().width)"
    )
    assert widths and max(widths) <= 30 * 16
    # District names break only at spaces: each word is on one line.
    name = page.locator("tr[data-row] th", has_text="ຈັນທະບູລີ").first
    words = name.locator(".suksa-words > span")
    assert (
        words.evaluate_all("spans => spans.map(s => s.getClientRects().length)")
        == [1] * words.count()
    )
    page.locator("#chart-district").scroll_into_view_if_needed()
    look(page, "reports-district-1366.png")
    page.locator("#outreach-title").scroll_into_view_if_needed()
    look(page, "reports-outreach-1366.png")


def test_choosing_a_province_narrows_the_districts(manager, demo_site):
    page = manager
    page.goto(demo_site + ALL_TIME)
    champasak = Province.objects.get(name_en="Champasak")
    districts = page.locator("select[name='district'] option[data-province]")
    assert districts.count() == District.objects.count()

    page.select_option("select[name='province']", str(champasak.pk))

    expect(districts).to_have_count(champasak.districts.count())
    assert set(districts.evaluate_all("os => os.map(o => o.dataset.province)")) == {
        str(champasak.pk)
    }
    paksong = District.objects.get(name_en="Paksong")
    page.select_option("select[name='district']", str(paksong.pk))
    # Another province: the chosen district is not in it, so it is cleared.
    page.select_option(
        "select[name='province']",
        str(Province.objects.get(name_en="Savannakhet").pk),
    )
    expect(page.locator("select[name='district']")).to_have_value("")
    page.select_option("select[name='province']", "")
    assert districts.count() == District.objects.count()


def test_on_a_phone_the_figures_come_first_and_tables_scroll_inside(manager, demo_site):
    page = manager
    page.set_viewport_size(PHONE)
    page.goto(demo_site + ALL_TIME)

    filters = page.locator("[data-report-filters-box]")
    expect(filters).not_to_have_attribute("open", "")
    assert box(page.locator("[data-testid=trained]"))["y"] < PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "manager-reports-phone.png")

    # The table scrolls inside its box; its first column stays in view.
    scroll = page.locator(".suksa-chart-block .suksa-table-scroll").first
    first = scroll.locator("tbody th").first
    before = box(first)["x"]
    scroll.evaluate("element => { element.scrollLeft = 400; }")
    assert scroll.evaluate("element => element.scrollLeft") > 0
    assert abs(box(first)["x"] - before) <= 1
    scroll.scroll_into_view_if_needed()
    look(page, "reports-table-360.png")

    page.locator("[data-report-filters-box] > summary").click()
    expect(page.locator("select[name='province']")).to_be_visible()
