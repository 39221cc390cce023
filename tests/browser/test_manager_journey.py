"""The demo manager reads the 2022 figures and downloads them for a donor report.

The screenshots taken on the way illustrate the manager's guide (docs/img/manager-*).
"""

import warnings
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Error, expect

from operations.demo import demo_seed
from tests.browser.conftest import PHONE_VIEWPORT, RESULTS, screenshot

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
PASSWORD = "demo-pass-2022"


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback, live_server):
    """The live server with the demo loaded (see test_public_journey.live_site)."""
    demo_seed(password=PASSWORD)
    return live_server.url


@pytest.fixture
def manager_page(browser, request):
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


def figure(page, name: str) -> str:
    return page.locator(f"[data-figure={name}]").inner_text()


def test_manager_reads_the_2022_figures_and_downloads_them(
    manager_page, demo_site, tmp_path
):
    page = manager_page

    # 1. Sign in: the dashboard is on the admin home page.
    page.goto(demo_site + "/admin/login/")
    page.fill("input[name='username']", "manager")
    page.fill("input[name='password']", PASSWORD)
    page.locator("form.login-form [type='submit']").click()
    expect(page).to_have_url(demo_site + "/admin/")
    expect(page.locator(".suksa-dashboard")).to_be_visible()
    screenshot(page, "manager-dashboard.png")

    # 2. Open the reports and choose 2022.
    page.locator(".suksa-dashboard a.button").click()
    page.fill("input[name='year']", "2022")
    page.locator(".suksa-report-filters button[type='submit']").click()
    expect(page).to_have_url(demo_site + "/admin/reports/?" + _query(page.url))
    assert "year=2022" in page.url

    # 3. The June 2022 Training of Trainers: 26 people, 11 women and 15 men.
    assert (figure(page, "tot-total"), figure(page, "tot-women")) == ("26", "11")
    assert figure(page, "tot-men") == "15"
    trained = int(figure(page, "trained-total"))
    assert trained >= 26
    expect(page.locator("[data-sentence=en]").first).to_contain_text(
        f"{trained} people were trained"
    )
    screenshot(page, "manager-reports-2022.png")
    page.locator("#chart-course_kind").scroll_into_view_if_needed()
    screenshot(page, "manager-chart.png")

    # 4. The spreadsheet says the same.
    with page.expect_download() as download_info:
        page.locator("a[href*='export.xlsx']").click()
    workbook = load_workbook(BytesIO(open(download_info.value.path(), "rb").read()))
    rows = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert [26, 11, 15] in [row[2:5] for row in rows]  # numbers, not text

    # 5. And the PDF, in Lao.
    with page.expect_download() as download_info:
        page.locator("a[href*='export.pdf'][href*='language=lo']").click()
    pdf = download_info.value
    assert pdf.suggested_filename.endswith("-lo.pdf")
    assert open(pdf.path(), "rb").read(4) == b"%PDF"

    # 6. On a phone the chart stays readable: one bar a line, the table below.
    page.set_viewport_size(PHONE_VIEWPORT)
    page.locator("#chart-course_kind").scroll_into_view_if_needed()
    screenshot(page, "manager-chart-phone.png")

    # 7. Approving a month of a district (the page other staff then cannot change).
    page.set_viewport_size(DESKTOP_VIEWPORT)
    page.goto(demo_site + "/admin/reports/approvals/")
    expect(page.locator("form select[name='district']")).to_be_visible()
    screenshot(page, "manager-approvals.png")


def _query(url: str) -> str:
    return url.split("?", 1)[1]
