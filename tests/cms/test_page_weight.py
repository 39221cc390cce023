"""The page-weight budget of issue 5, counted from the responses (sizes, not times):
a first visit to the library or a material page costs at most 5 requests and 50 KB
compressed, images and files excluded, all from the site's own host.

Counted as a phone without Noto Sans Lao would fetch them: the page, every stylesheet
and script it links, the web font its Lao text needs, the manifest and the service
worker. Benchmark figures in a real browser: benchmarks/page_weight.py.
"""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 50 * 1024
BUDGET_REQUESTS = 5
LONG_LAO = "ຜູ້ອອກແຮງງານໃນຄົວເຮືອນມີສິດໄດ້ຮັບການປະກັນສັງຄົມຄືກັບຜູ້ອອກແຮງງານອື່ນໆ. " * 6


def _static_gzipped(url: str) -> int:
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    with open(path, "rb") as source:
        data = source.read()
    return len(data) if path.endswith(".woff2") else len(gzip.compress(data))


def _first_visit(client, path: str) -> list[tuple[str, int]]:
    """(what, compressed bytes) for everything a first visit fetches."""
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    fetched = [(path, len(response.content))]
    for url in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        fetched.append((url, _static_gzipped(url)))
        css = open(finders.find(url.removeprefix(settings.STATIC_URL))).read()
        if re.search("[\u0e80-\u0eff]", html):
            for font in re.findall(r'url\("\.\./(fonts/[^"]+)"\)', css):
                fetched.append((font, _static_gzipped(settings.STATIC_URL + font)))
    for url in re.findall(r'<script[^>]* src="([^"]+)"', html):
        fetched.append((url, _static_gzipped(url)))
    for url in re.findall(r'<link rel="manifest" href="([^"]+)"', html):
        manifest = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        fetched.append((url, len(manifest.content)))
    if 'serviceWorker.register("/sw.js"' in html:
        worker = client.get("/sw.js", HTTP_ACCEPT_ENCODING="gzip")
        fetched.append(("/sw.js", len(worker.content)))
    other_hosts = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', html)
    assert other_hosts == [], "Everything comes from the site's own host"
    return fetched


@pytest.fixture
def full_library(make_material, topic, audience):
    """A library page's worth of materials (12), each with three files."""
    materials = [
        make_material(
            f"ເອກະສານ {number} ກ່ຽວກັບການປະກັນສັງຄົມ",
            summary=LONG_LAO,
            topics=[topic],
            audiences=[audience],
            files=3,
            slug=f"material-{number}",
        )
        for number in range(13)
    ]
    return materials


@pytest.mark.parametrize("path", ["/lo/materials/", "/lo/materials/material-3/"])
def test_first_visit_fits_the_budget(client, full_library, path):
    fetched = _first_visit(client, path)

    total = sum(size for _what, size in fetched)
    assert len(fetched) <= BUDGET_REQUESTS, fetched
    assert total <= BUDGET_BYTES, fetched


def test_only_one_web_font_and_no_external_script(client, full_library):
    fetched = _first_visit(client, "/lo/materials/material-3/")

    fonts = [what for what, _size in fetched if what.startswith("fonts/")]
    scripts = [what for what, _size in fetched if what.endswith(".js")]
    assert fonts == ["fonts/NotoSansLao-Regular.subset.woff2"]
    assert scripts == ["/sw.js"]


def test_library_works_without_javascript(client, full_library):
    """Filtering and paging are plain links and a GET form."""
    html = client.get("/lo/materials/", {"topic": "social-security"}).content.decode()

    assert '<form method="get" action="/lo/materials/" role="search">' in html
    assert '<details class="filters" open>' in html
    assert 'href="?topic=social-security&amp;page=2"' in html
    assert html.count('class="material-card"') == 12
