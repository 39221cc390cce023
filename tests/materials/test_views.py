import importlib

import pytest
from django.urls import clear_url_caches

from materials.models import Download, MaterialPage
from tests.factories import DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return response.content.decode()


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# The library page ------------------------------------------------------------


def test_library_lists_public_materials_and_hides_restricted_ones(
    client, library, make_material
):
    make_material("ພື້ນຖານການປະກັນສັງຄົມ")
    make_material("ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່", restricted=True)

    body = _body(client.get(library["lo"].url))

    assert "ພື້ນຖານການປະກັນສັງຄົມ" in body
    assert "ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່" not in body


def test_promoter_sees_restricted_materials_in_the_library(
    client_as, library, make_material
):
    make_material("ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່", restricted=True)

    body = _body(client_as("promoter").get(library["lo"].url))

    assert "ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່" in body


def test_library_filters_with_plain_get_parameters(
    client, library, make_material, topic
):
    make_material("ໃບປິວປະກັນສັງຄົມ", topics=[topic])
    make_material("ໂປສເຕີຄວາມປອດໄພ", kind=MaterialPage.Kind.POSTER)

    by_topic = _body(client.get(library["lo"].url, {"topic": topic.slug}))
    by_kind = _body(client.get(library["lo"].url, {"kind": "poster"}))

    assert "ໃບປິວປະກັນສັງຄົມ" in by_topic and "ໂປສເຕີຄວາມປອດໄພ" not in by_topic
    assert "ໂປສເຕີຄວາມປອດໄພ" in by_kind and "ໃບປິວປະກັນສັງຄົມ" not in by_kind


def test_library_searches_lao_text(client, library, make_material):
    make_material("ຂໍ້ຕົກລົງ 4369", summary="ນາຍຈ້າງຕ້ອງຂຶ້ນທະບຽນແມ່ບ້ານເຂົ້າປະກັນສັງຄົມ")
    make_material("ຄວາມປອດໄພ", summary="ໃສ່ຖົງມືເວລາສີດຢາ")

    response = client.get(library["lo"].url, {"q": "ແມ່ບ້ານ"})

    assert response.context["result_count"] == 1
    assert "ຂໍ້ຕົກລົງ 4369" in _body(response)


def test_library_explains_when_nothing_matches(client, library, make_material):
    make_material("ພື້ນຖານ")

    response = client.get(library["lo"].url, {"q": "ໂຮງຮຽນ", "kind": "nonsense"})

    assert response.context["result_count"] == 0
    assert response.context["filters"]["kind"] == ""  # unknown values are ignored
    assert 'class="empty-state"' in _body(response)


def test_library_paginates_and_keeps_the_filters(client, library, make_material):
    for number in range(14):
        make_material(f"ໃບປິວ {number}", slug=f"leaflet-{number}")

    first = client.get(library["lo"].url, {"kind": "leaflet"})
    second = client.get(library["lo"].url, {"kind": "leaflet", "page": "2"})
    past_the_end = client.get(library["lo"].url, {"page": "99"})

    assert len(first.context["materials"]) == 12
    assert first.context["next_url"] == "?kind=leaflet&page=2"
    assert len(second.context["materials"]) == 2
    assert second.context["previous_url"] == "?kind=leaflet"
    assert past_the_end.status_code == 200
    assert past_the_end.context["materials"].number == 2


# A material's page -------------------------------------------------------------


def test_material_page_lists_files_and_how_often_they_were_downloaded(
    client, make_material
):
    material = make_material("ພື້ນຖານ", files=2)
    material_file = material.files.first()
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        client.get(material_file.url, REMOTE_ADDR=address)

    response = client.get(material.url)

    assert response.context["download_count"] == 3
    assert [item.pk for item in response.context["files"]] == [
        item.pk for item in material.files.all()
    ]
    assert material_file.url in _body(response)


def test_untranslated_material_offers_english_with_a_fallback_notice(
    client, make_material
):
    material = make_material("ພື້ນຖານ")

    response = client.get(material.url)
    english = next(
        link for link in response.context["language_links"] if link["code"] == "en"
    )
    notice = client.get(english["url"])

    assert english["is_fallback"] is True
    assert english["url"] == f"{material.url}?fallback=en"
    assert notice.context["fallback_from"] == "en"
    assert notice.context["page"] == material


# Files: privacy by every route -------------------------------------------------


@pytest.fixture
def restricted_file(make_material):
    return make_material("ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່", restricted=True).files.get()


def test_anonymous_visitor_cannot_download_a_restricted_file(client, restricted_file):
    response = client.get(restricted_file.url)

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not Download.objects.exists()


def test_wagtail_document_url_goes_through_the_tracked_route(client, restricted_file):
    document = restricted_file.document

    response = client.get(f"/documents/{document.pk}/{document.filename}")
    followed = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == restricted_file.url
    assert followed.status_code == 302
    assert "login" in followed["Location"]


def test_media_url_of_documents_is_never_served(client, settings, restricted_file):
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    try:
        response = client.get(f"/media/{restricted_file.document.file.name}")
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()

    assert response.status_code == 404


@pytest.mark.parametrize("username", ["promoter", "trainer", "editor", "admin"])
def test_allowed_users_download_a_restricted_file(client_as, restricted_file, username):
    response = client_as(username).get(restricted_file.url)

    assert response.status_code == 200
    assert _content(response).startswith(b"%PDF")


def test_signed_in_user_outside_the_groups_gets_not_found(client, restricted_file):
    client.force_login(UserFactory(username="outsider"))

    assert client.get(restricted_file.url).status_code == 404
    document = restricted_file.document
    assert (
        client.get(f"/documents/{document.pk}/{document.filename}", follow=True)
        .redirect_chain[-1][0]
        .startswith(restricted_file.url)
    )


def test_file_response_has_headers_for_large_files(client, make_material):
    material_file = make_material().files.get()

    response = client.get(material_file.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(material_file.document.file_size)
    assert material_file.document.filename in response["Content-Disposition"]
    assert response["Cache-Control"].startswith("private")


def test_nginx_sends_the_file_when_configured(client, settings, make_material):
    settings.SUKSA_DOCUMENTS_X_ACCEL_PREFIX = "/protected-media/"
    material_file = make_material().files.get()

    response = client.get(material_file.url)

    assert response["X-Accel-Redirect"] == (
        f"/protected-media/{material_file.document.file.name}"
    )
    assert response.content == b""


def test_draft_material_and_wrong_file_name_are_not_found(client, make_material):
    draft_file = make_material(live=False).files.get()
    live_file = make_material().files.get()

    assert client.get(draft_file.url).status_code == 404
    assert client.get(f"/materials/files/{live_file.pk}/other.pdf").status_code == 404


def test_document_linked_from_a_restricted_body_is_refused(
    client, make_material, make_document
):
    document = make_document(title="Annex", filename="annex.pdf")
    make_material("ຄູ່ມື", restricted=True, body=[("document", document)], files=0)

    response = client.get(f"/documents/{document.pk}/{document.filename}")

    assert response.status_code == 302
    assert "login" in response["Location"]


# Download tracking ---------------------------------------------------------------


def test_download_records_file_page_user_district_and_time(
    client_as, make_material, monkeypatch
):
    paksong = DistrictFactory()
    monkeypatch.setattr("materials.services.home_district", lambda user: paksong)
    material_file = make_material().files.get()

    client_as("promoter").get(material_file.url)

    download = Download.objects.get()
    assert download.material_file == material_file
    assert download.document == material_file.document
    assert download.page_id == material_file.page_id
    assert download.user.username == "promoter"
    assert download.district == paksong
    assert download.at is not None


def test_anonymous_download_is_counted_without_a_user(client, make_material):
    material_file = make_material().files.get()

    client.get(material_file.url, REMOTE_ADDR="10.0.0.1")
    client.get(material_file.url, REMOTE_ADDR="10.0.0.2")

    assert Download.objects.filter(user=None, district=None).count() == 2


def test_download_is_a_single_insert(
    client, make_material, django_assert_max_num_queries
):
    url = make_material().files.get().url

    # The file, its page's and collection's restrictions, and one insert.
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200


def test_editor_previews_a_draft_material_file_without_counting_it(
    client_as, make_material
):
    draft_file = make_material(live=False).files.get()

    response = client_as("editor").get(draft_file.url)

    assert response.status_code == 200
    assert not Download.objects.exists()
