"""Issue 14, shared phones: after a promoter signs out, the next person on the phone
finds none of their pages offline, and the meetings waiting to be sent stay. (While
signed in, My meetings and My certificates are kept for reading offline: issue 16.)

Chromium with its service worker; "offline" is Playwright's network emulation. The
meeting waits because sending it fails (the route is aborted), as on a bad network.
"""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.test_promoter_journey import (
    QUEUE,
    fill_meeting,
    open_record_form,
    promoter_site,  # noqa: F401 - a fixture
    sign_in_by_phone,
)

NAME = "ບຸນມີ"
OFFLINE_LO = "ທ່ານບໍ່ໄດ້ເຊື່ອມຕໍ່ອິນເຕີເນັດ"


def cached_urls(page) -> list[str]:
    return page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) urls.push(request.url);
          }
          return urls;
        }"""
    )


def personal(urls: list[str]) -> list[str]:
    return [each for each in urls if "/portal/" in each]


@pytest.mark.usefixtures("promoter_site")
def test_after_sign_out_the_portal_is_gone_offline_and_queued_meetings_stay(
    page,
    promoter_site,  # noqa: F811
):
    url, _promoter = promoter_site
    sign_in_by_phone(page, url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")
    expect(page.locator("main")).to_contain_text(NAME)
    page.goto(url + "/lo/portal/meetings/")
    page.goto(url + "/lo/portal/certificates/")
    # Signed in: only the two pages meant for reading offline are kept.
    assert sorted(personal(cached_urls(page))) == [
        url + "/lo/portal/certificates/",
        url + "/lo/portal/meetings/",
    ]

    page.route(
        "**/portal/meetings/new/",
        lambda route: (
            route.abort() if route.request.method == "POST" else route.continue_()
        ),
    )
    open_record_form(page)
    fill_meeting(
        page,
        village="ບ້ານ ໜອງຫຼວງ",
        date="2023-06-15",
        counts={"turnout_women": "7", "turnout_men": "5"},
    )
    page.locator("form[data-meeting-form] [type='submit']").click()
    expect(page.locator("[data-queue-count]")).to_have_text("1")
    waiting = json.loads(page.evaluate(f"localStorage.getItem('{QUEUE}')"))

    page.locator("form[data-portal-signout] [type='submit']").click()
    expect(page).to_have_url(url + "/lo/portal/login/")
    page.wait_for_timeout(500)  # the worker's clean-up is asynchronous

    after = cached_urls(page)
    assert not personal(after)
    assert [each for each in after if "/static/" in each]  # the rest stays
    page.context.set_offline(True)
    for path in ("/lo/portal/", "/lo/portal/meetings/", "/lo/portal/certificates/"):
        page.goto(url + path)
        expect(page.locator("h1")).to_have_text(OFFLINE_LO)
        assert NAME not in page.content()
    assert json.loads(page.evaluate(f"localStorage.getItem('{QUEUE}')")) == waiting
