import pytest

pytestmark = pytest.mark.django_db


def _titles(response) -> set[str]:
    return {item["title"] for item in response.json()["items"]}


def test_anonymous_callers_get_public_materials_only(client, make_material):
    make_material("ພື້ນຖານ")
    make_material("ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່", restricted=True)
    make_material("ຮ່າງ", live=False)

    response = client.get("/api/v2/pages/", {"type": "materials.MaterialPage"})

    assert response.status_code == 200
    assert _titles(response) == {"ພື້ນຖານ"}


def test_restricted_material_detail_is_not_found_for_anonymous(client, make_material):
    restricted = make_material("ຄູ່ມື", restricted=True)

    assert client.get(f"/api/v2/pages/{restricted.pk}/").status_code == 404


def test_signed_in_promoter_gets_restricted_materials(client_as, make_material):
    make_material("ພື້ນຖານ")
    make_material("ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່", restricted=True)

    response = client_as("promoter").get(
        "/api/v2/pages/", {"type": "materials.MaterialPage"}
    )

    assert _titles(response) == {"ພື້ນຖານ", "ຄູ່ມືສຳລັບຜູ້ເຜີຍແຜ່"}


def test_material_detail_has_topics_audiences_language_and_tracked_files(
    client, make_material, topic, audience
):
    material = make_material("ພື້ນຖານ", topics=[topic], audiences=[audience])
    material_file = material.files.get()

    data = client.get(f"/api/v2/pages/{material.pk}/").json()

    assert data["kind"] == "leaflet"
    assert data["language"] == "lo"
    assert data["meta"]["locale"] == "lo"
    assert data["topics"] == [
        {"slug": topic.slug, "name_lo": topic.name_lo, "name_en": topic.name_en}
    ]
    assert [item["slug"] for item in data["audiences"]] == [audience.slug]
    assert data["files"] == [
        {
            "label": "File 0",
            "language": "lo",
            "type": "PDF",
            "content_type": "application/pdf",
            "size": material_file.document.file_size,
            "url": f"http://testserver{material_file.url}",
        }
    ]


def test_listing_can_ask_for_material_fields(client, make_material):
    make_material("ພື້ນຖານ")

    response = client.get(
        "/api/v2/pages/",
        {"type": "materials.MaterialPage", "fields": "kind,language,files"},
    )

    item = response.json()["items"][0]
    assert item["kind"] == "leaflet"
    assert item["files"][0]["url"].startswith("http://testserver/materials/files/")


def test_documents_and_images_endpoints_are_not_exposed(client):
    assert client.get("/api/v2/documents/").status_code == 404
    assert client.get("/api/v2/images/").status_code == 404
