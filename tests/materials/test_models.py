import pytest
from wagtail.models import Page

from cms.models import HomePage, StandardPage
from common.text import index_text
from materials.models import MaterialIndexPage, MaterialPage

pytestmark = pytest.mark.django_db


def test_library_goes_under_a_home_page_and_holds_only_materials(library):
    home = HomePage.objects.get(locale__language_code="lo")

    assert MaterialIndexPage.can_create_at(home) is False  # one library per home
    assert MaterialPage.can_create_at(home) is False
    assert MaterialPage.can_create_at(library["lo"]) is True
    assert StandardPage.can_create_at(library["lo"]) is False
    assert library["lo"].specific_class.allowed_subpage_models() == [MaterialPage]


def test_a_library_cannot_go_anywhere_but_under_a_home_page(home_pages):
    standard = home_pages.add_child(instance=StandardPage(title="About", slug="about"))

    assert MaterialIndexPage.can_create_at(home_pages) is True
    assert MaterialIndexPage.can_create_at(standard) is False
    assert MaterialIndexPage.can_create_at(Page.get_first_root_node()) is False


def test_material_has_nothing_below_it(make_material):
    material = make_material()

    assert MaterialPage.allowed_subpage_models() == []
    assert MaterialPage.can_create_at(material) is False


def test_file_shows_label_size_type_and_a_tracked_url(make_material):
    material_file = make_material().files.get()

    assert material_file.display_label == "File 0"
    assert material_file.size == 34
    assert material_file.file_type == "PDF"
    filename = material_file.document.filename
    assert filename.startswith("file-0")
    assert material_file.url == f"/materials/files/{material_file.pk}/{filename}"


def test_search_text_has_every_lao_cluster_of_title_summary_and_files(make_material):
    material = make_material("ນາຍຈ້າງຕ້ອງຂຶ້ນທະບຽນແມ່ບ້ານ", summary="ປະກັນສັງຄົມ", files=1)

    indexed = material.search_text()
    assert index_text("ແມ່ບ້ານ") in indexed
    assert index_text("ປະກັນສັງຄົມ") in indexed
    assert indexed.endswith("File 0")
