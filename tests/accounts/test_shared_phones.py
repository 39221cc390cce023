"""Issue 14, shared phones: portal pages with the promoter's name were
``private, no-cache`` (kept by the browser and the service worker) and signing out
cleared nothing."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PersonFactory, PromoterFactory, UserFactory

pytestmark = pytest.mark.django_db

PORTAL_PAGES = [
    "portal:home",
    "portal:materials",
    "portal:meetings",
    "portal:meeting-record",
    "portal:certificates",
]


def lao(name: str) -> str:
    with translation.override("lo"):
        return reverse(name)


@pytest.fixture
def promoter_client(client):
    user = UserFactory(username="bounmy", role="Promoters")
    PromoterFactory(person=PersonFactory(full_name="ທ້າວ ບຸນມີ", user=user))
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_personal_pages_are_never_stored(promoter_client, name):
    response = promoter_client.get(lao(name))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_signing_out_of_the_portal_clears_the_browser_cache(promoter_client):
    response = promoter_client.post(lao("portal:logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert "_auth_user_id" not in promoter_client.session


def test_signing_out_of_the_admin_clears_the_browser_cache(client, make_user):
    client.force_login(make_user("trainer"))

    response = client.post(reverse("wagtailadmin_logout"))

    assert response["Clear-Site-Data"] == '"cache"'


def test_other_answers_do_not_clear_anything(promoter_client):
    assert not promoter_client.get(lao("portal:home")).has_header("Clear-Site-Data")


def test_the_service_worker_never_keeps_portal_pages(client):
    worker = client.get("/sw.js").content.decode()

    assert "const PERSONAL = /^\\/([a-z]{2}(-[a-z]+)?\\/)?portal\\//;" in worker
    assert "!PERSONAL.test(new URL(request.url).pathname)" in worker
    assert '"signed-out"' in worker
