"""Portal pages stay within the materials pages' budget on a first visit: at most 50 KB
compressed (images excluded) in at most 5 requests, all from the site's own host.

Sizes, not times: the HTML as served plus every stylesheet, script and manifest it asks
for, each gzip-compressed as whitenoise serves it. Fonts are left out: site.css asks
for the phone's own Noto fonts first (``local()``); benchmarks/page_weight.py measures
what a real browser transfers.
"""

import datetime
import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from cms.services import site_ensure_home_pages
from tests.conftest import shared_state
from tests.factories import (
    PersonFactory,
    PromoterFactory,
    UserFactory,
    VillageFactory,
    record_meeting,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("busy_promoter_user")]

BUDGET_BYTES = 50 * 1024
BUDGET_REQUESTS = 5
# Sub-resources a browser fetches for a page; images are outside the budget.
RESOURCE = re.compile(
    r'<(?:link[^>]*\brel="(?P<rel>[^"]+)"[^>]*\bhref="(?P<href>[^"]+)"'
    r'|script[^>]*\bsrc="(?P<src>[^"]+)")'
)
IMAGE_RELS = {"icon", "apple-touch-icon"}


@pytest.fixture(scope="module")
def busy_promoter_user(request, django_db_setup, django_db_blocker):
    """A promoter of a large district with a full page of meetings, and the home
    pages: written once for the module's tests, which only read them (see
    shared_state)."""
    made = {}

    def seed():
        site_ensure_home_pages()
        user = UserFactory(username="bounmy", role="Promoters")
        promoter = PromoterFactory(
            person=PersonFactory(full_name="ທ້າວ ບຸນມີ ສີສຸວັນ", user=user)
        )
        for number in range(80):
            VillageFactory(
                district=promoter.office.district, name_lo=f"ບ້ານ ໂພນສະຫວ່າງ {number}"
            )
        for day in range(1, 26):
            record_meeting(promoter, date=datetime.date(2023, 5, day))
        made["user"] = user

    with shared_state(request, django_db_blocker, seed):
        yield made["user"]


@pytest.fixture
def busy_promoter(client, busy_promoter_user):
    """The busy promoter, signed in."""
    client.force_login(busy_promoter_user)
    return client


def weigh(client, path: str) -> tuple[int, list[str]]:
    """Compressed bytes of a page and what it asks for, and the addresses asked."""
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content
    total = len(gzip.compress(html))
    addresses = []
    for match in RESOURCE.finditer(html.decode()):
        address = match.group("href") or match.group("src")
        addresses.append(address)
        if match.group("rel") in IMAGE_RELS:
            continue
        total += len(gzip.compress(_resource(client, address)))
    return total, addresses


def _resource(client, address: str) -> bytes:
    if address.startswith("/static/"):
        found = finders.find(address.removeprefix("/static/"))
        assert found, address
        with open(found, "rb") as file:
            return file.read()
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content


PAGES = [
    "portal:home",
    "portal:materials",
    "portal:meetings",
    "portal:meeting-record",
    "portal:certificates",
]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", ["lo", "en"])
def test_each_portal_page_is_within_the_budget(busy_promoter, name, language):
    with translation.override(language):
        path = reverse(name)

    size, addresses = weigh(busy_promoter, path)

    assert size <= BUDGET_BYTES, f"{path}: {size} bytes compressed"
    assert 1 + len(addresses) <= BUDGET_REQUESTS, addresses
    assert all(a.startswith("/") and not a.startswith("//") for a in addresses)
    assert not [a for a in addresses if "wagtailadmin" in a]


def test_the_sign_in_page_is_within_the_budget(client, home_pages):
    with translation.override("lo"):
        path = reverse("portal:login")

    size, addresses = weigh(client, path)

    assert size <= BUDGET_BYTES
    assert 1 + len(addresses) <= BUDGET_REQUESTS, addresses


def test_the_portal_works_without_javascript(busy_promoter):
    """Every form is a plain POST with its CSRF token and client_uuid in the HTML;
    the script only adds the offline queue."""
    with translation.override("lo"):
        html = busy_promoter.get(reverse("portal:meeting-record")).text

    form = re.search(r"<form[^>]*data-meeting-form[^>]*>(.*?)</form>", html, re.S)
    assert form is not None
    assert 'method="post"' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert re.search(r'name="client_uuid" value="[0-9a-f-]{36}"', form.group(1))
    assert '<button type="submit">' in form.group(1)
