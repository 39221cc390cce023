"""Issue 14, shared phones: portal pages with the promoter's name were
``private, no-cache`` (kept by the browser and the service worker) and signing out
cleared nothing."""

import time

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


def test_the_service_worker_keeps_portal_pages_apart(client):
    worker = client.get("/sw.js").content.decode()

    assert "const PERSONAL = /^\\/([a-z]{2}(-[a-z]+)?\\/)?portal\\//;" in worker
    assert "!PERSONAL.test(new URL(request.url).pathname)" in worker
    assert '"signed-out"' in worker
    assert "SIGN_OUT.test(url.pathname)" in worker  # any sign-out, even offline


@pytest.mark.parametrize("name", ["portal:meetings", "portal:certificates"])
def test_meetings_and_certificates_may_be_kept_for_their_owner(promoter_client, name):
    response = promoter_client.get(lao(name))

    until = int(response["Suksa-Keep-Until"])
    assert until > time.time()
    # The session's expiry is now + its age, read again here: a loaded machine may
    # have moved on a second since the response was made.
    expiry = promoter_client.session.get_expiry_date().timestamp()
    assert 0 <= expiry - until < 3
    assert len(response["Suksa-Owner"]) == 24
    assert "no-store" in response["Cache-Control"]  # never the browser's HTTP cache


@pytest.mark.parametrize("name", ["portal:home", "portal:materials"])
def test_other_portal_pages_name_their_owner_but_are_not_kept(promoter_client, name):
    response = promoter_client.get(lao(name))

    assert response["Suksa-Owner"]
    assert not response.has_header("Suksa-Keep-Until")


def test_each_promoter_is_a_different_owner(promoter_client, client):
    first = promoter_client.get(lao("portal:meetings"))["Suksa-Owner"]
    again = promoter_client.get(lao("portal:certificates"))["Suksa-Owner"]
    other = UserFactory(username="noy", role="Promoters")
    PromoterFactory(person=PersonFactory(full_name="ນາງ ນ້ອຍ", user=other))
    promoter_client.force_login(other)

    second = promoter_client.get(lao("portal:meetings"))["Suksa-Owner"]

    assert first == again
    assert second and second != first


def test_signed_out_or_not_a_promoter_names_no_owner(client, make_user):
    assert not client.get(lao("portal:login")).get("Suksa-Owner")
    client.force_login(make_user("trainer"))

    response = client.get(lao("portal:meetings"))

    assert response.status_code == 403
    assert response["Suksa-Owner"] == ""
    assert not response.has_header("Suksa-Keep-Until")
