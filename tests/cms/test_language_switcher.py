"""The language switcher on material pages: the same page in the other language, or
this page with a notice when it has no translation."""

import pytest
from wagtail.models import Locale

pytestmark = pytest.mark.django_db


def _translate(page, title):
    english = page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = title
    english.save_revision().publish()
    return english


def test_switcher_goes_to_the_translated_material(client, make_material):
    material = make_material("ສິດຂອງແຮງງານ", slug="labour-rights")
    _translate(material, "Labour rights")

    lao = client.get("/lo/materials/labour-rights/").content.decode()
    english = client.get("/en/materials/labour-rights/").content.decode()

    assert 'href="/en/materials/labour-rights/" hreflang="en"' in lao
    assert 'href="/lo/materials/labour-rights/" hreflang="lo"' in english
    assert "notice--translation" not in lao + english


def test_untranslated_material_falls_back_to_lao_with_a_notice(client, make_material):
    make_material("ວຽກບ້ານ", slug="domestic-work")

    lao = client.get("/lo/materials/domestic-work/").content.decode()
    assert 'href="/lo/materials/domestic-work/?fallback=en" hreflang="en"' in lao
    assert "notice--translation" not in lao

    fallback = client.get("/lo/materials/domestic-work/?fallback=en")
    content = fallback.content.decode()
    assert fallback.status_code == 200
    assert '<div class="notice notice--translation" lang="en" role="note">' in content
    assert (
        "This page has not been translated into English yet. "
        "You are reading the Lao version." in content
    )
    assert 'href="/en/materials/">More in English</a>' in content
    assert 'href="/lo/materials/domestic-work/">Continue in Lao</a>' in content
    assert "<h1>ວຽກບ້ານ</h1>" in content


def test_notice_only_when_the_translation_is_really_missing(client, make_material):
    material = make_material("ສິດຂອງແຮງງານ", slug="labour-rights")
    _translate(material, "Labour rights")

    content = client.get("/lo/materials/labour-rights/?fallback=en").content.decode()

    assert "notice--translation" not in content


@pytest.mark.parametrize("value", ["xx", "lo", "<script>"])
def test_notice_ignores_unknown_or_own_language(client, make_material, value):
    make_material("ວຽກບ້ານ", slug="domestic-work")

    content = client.get(
        "/lo/materials/domestic-work/", {"fallback": value}
    ).content.decode()

    assert "notice--translation" not in content


def test_library_switches_to_its_translation(client, library):
    lao = client.get("/lo/materials/").content.decode()

    assert 'href="/en/materials/" hreflang="en"' in lao
