import pytest
from django.conf import settings

from cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def test_root_sends_visitors_to_lao(client, home_pages):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/lo/")


def test_root_remembers_a_chosen_language(client, home_pages):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/")["Location"] == "/en/"


@pytest.mark.parametrize(
    ("path", "lang", "title"), [("/lo/", "lo", "ສຶກສາ"), ("/en/", "en", "Suksa")]
)
def test_home_page_in_each_language(client, home_pages, path, lang, title):
    response = client.get(path)

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in content
    assert f"<h1>{title}</h1>" in content


def test_language_switcher_links_to_the_same_page_in_the_other_language(
    client, home_pages
):
    about = StandardPage(title="ກ່ຽວກັບ", slug="about", show_in_menus=True)
    home_pages.add_child(instance=about)
    about.save_revision().publish()
    english = about.copy_for_translation(
        HomePage.objects.get(locale__language_code="en").locale
    )
    english.title = "About"
    english.save_revision().publish()

    lao = client.get("/lo/about/").content.decode()
    en = client.get("/en/about/").content.decode()

    assert 'href="/en/about/" hreflang="en"' in lao
    assert 'href="/lo/about/" hreflang="lo"' in en
    assert "ກ່ຽວກັບ" in client.get("/lo/").content.decode()  # in the menu


def test_untranslated_page_switches_to_the_other_home(client, home_pages):
    only_lao = StandardPage(title="ຂ່າວ", slug="news")
    home_pages.add_child(instance=only_lao)
    only_lao.save_revision().publish()

    content = client.get("/lo/news/").content.decode()

    assert 'href="/en/" hreflang="en"' in content


def test_home_pages_are_created_once(home_pages):
    from cms.services import site_ensure_home_pages

    site_ensure_home_pages()

    assert HomePage.objects.count() == 2
    assert set(HomePage.objects.values_list("locale__language_code", flat=True)) == {
        "lo",
        "en",
    }


def test_unknown_page_is_a_friendly_404_in_lao(client, home_pages):
    response = client.get("/lo/no-such-page/")
    assert response.status_code == 404
    assert 'lang="lo"' in response.content.decode()
