"""The service worker, the web app manifest and the "saved for offline" list."""

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_at_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert 'const VERSION = "' in body
    assert "{%" not in body and "{{" not in body


def test_service_worker_never_caches_admin_api_or_posts(client):
    body = client.get("/sw.js").content.decode()

    never = json.loads(body.split("const NEVER_CACHED = ")[1].split(";")[0])
    assert {"/admin/", "/django-admin/", "/api/"} <= set(never)
    assert 'if (request.method !== "GET") return;' in body
    assert "url.origin !== self.location.origin" in body


def offline_answers(body: str) -> dict:
    return json.loads(body.split("const OFFLINE = ")[1].split(";\n")[0])


def test_service_worker_keeps_saved_pages_across_versions(client):
    body = client.get("/sw.js").content.decode()

    assert 'const SAVED = "suksa-saved-v1";' in body
    assert '"suksa-pages-" + VERSION' in body


@pytest.mark.parametrize(
    ("language", "heading"),
    [("lo", "ທ່ານບໍ່ໄດ້ເຊື່ອມຕໍ່ອິນເຕີເນັດ"), ("en", "You are offline")],
)
def test_offline_answer_is_a_styled_page_in_each_language(client, language, heading):
    body = client.get("/sw.js").content.decode()

    page = offline_answers(body)[language]["page"]
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page
    assert "<style>" in page and "Suksa Sans" in page
    assert f'href="/{language}/saved/"' in page  # the list of saved materials
    assert "{KEPT}" in page  # where the worker lists the personal pages it kept


def test_offline_answer_follows_the_language_of_the_address(client):
    body = client.get("/sw.js").content.decode()

    assert 'const DEFAULT_LANGUAGE = "lo";' in body
    assert 'url.pathname.split("/")[1]' in body


def test_offline_answer_names_the_personal_pages_kept_for_offline(client):
    answers = offline_answers(client.get("/sw.js").content.decode())

    assert answers["lo"]["kept"] == {
        "/lo/portal/meetings/": "ກອງປະຊຸມຂອງຂ້ອຍ",
        "/lo/portal/certificates/": "ໃບຢັ້ງຢືນຂອງຂ້ອຍ",
    }
    assert answers["en"]["kept"]["/en/portal/meetings/"] == "My meetings"


def test_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")

    manifest = json.loads(response.content)
    assert response["Content-Type"].startswith("application/manifest+json")
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL))


def test_manifest_name_follows_the_chosen_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    manifest = json.loads(client.get("/manifest.webmanifest").content)

    assert manifest["lang"] == "en"
    assert manifest["short_name"] == "Suksa"


@pytest.mark.parametrize("language", ["lo", "en"])
def test_saved_list_page_in_each_language(client, home_pages, language):
    response = client.get(f"/{language}/saved/")

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in content
    assert "data-saved-list" in content
    assert "data-saved-empty" in content
    assert "<noscript>" in content


def test_every_page_registers_the_worker_without_an_extra_request(client, home_pages):
    content = client.get("/lo/").content.decode()

    assert 'navigator.serviceWorker.register("/sw.js"' in content
    assert '<link rel="manifest" href="/manifest.webmanifest">' in content
    assert "<script src=" not in content
    assert "Suksa offline:" not in content  # the file's comment stays in the file
    assert 'href="/lo/saved/"' in content


def test_inline_script_carries_the_csp_nonce(client, home_pages):
    response = client.get("/lo/")

    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_pages_are_compressed_but_files_are_not(client, home_pages):
    page = client.get("/lo/", HTTP_ACCEPT_ENCODING="gzip")

    assert page["Content-Encoding"] == "gzip"
