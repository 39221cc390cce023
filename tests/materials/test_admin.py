import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from materials.services import download_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/materials/downloads/"


@pytest.fixture
def downloads(make_material, make_user):
    material_file = make_material("=HYPERLINK(1)").files.get()
    for username in ("promoter", "trainer", "trainer2"):
        download_record(material_file=material_file, user=make_user(username))
    return material_file


@pytest.mark.parametrize("username", ["admin", "editor", "manager"])
def test_staff_see_downloads_per_material(client_in_english, downloads, username):
    response = client_in_english(username).get(URL)

    assert response.status_code == 200
    assert response.context["counts"].total == 3
    assert response.context["counts"].by_material[0]["count"] == 3


@pytest.mark.parametrize("username", ["promoter", "trainer", "officer"])
def test_others_may_not_see_downloads(client_as, downloads, username):
    assert client_as(username).get(URL).status_code in (302, 403)


def test_report_is_in_the_reports_menu(client_in_english):
    response = client_in_english("editor").get(reverse("wagtailadmin_home"))

    assert URL in response.content.decode()


def test_csv_export_neutralises_formulas(client_as, downloads):
    response = client_as("editor").get(URL, {"export": "csv"})

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in text
    assert text.splitlines()[1].endswith(",3")


def test_xlsx_export_has_a_row_per_month_district_and_material(client_as, downloads):
    response = client_as("manager").get(URL, {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][2] == "=HYPERLINK(1)"
    assert rows[1][4] == 3  # a number cell, not text


def test_dates_in_the_wrong_order_are_explained(client_in_english, downloads):
    response = client_in_english("editor").get(
        URL, {"date_from": "2024-12-01", "date_to": "2024-01-01"}
    )

    assert "The start date is after the end date." in response.content.decode()


def test_a_user_without_a_role_is_refused(client):
    client.force_login(UserFactory(username="nobody"))

    assert client.get(URL).status_code in (302, 403)


def test_editor_manages_topics_and_audiences(client_as):
    client = client_as("editor")

    assert client.get("/admin/snippets/materials/topic/").status_code == 200
    response = client.post(
        "/admin/snippets/materials/topic/add/",
        {"name_lo": "ສິດທິແຮງງານ", "name_en": "Labour rights", "slug": "labour-rights"},
    )
    assert response.status_code == 302
    assert client.get("/admin/snippets/materials/audience/").status_code == 200


def test_editor_opens_the_new_material_form(client_as, library):
    url = reverse(
        "wagtailadmin_pages:add",
        args=("materials", "materialpage", library["lo"].pk),
    )

    response = client_as("editor").get(url)

    assert response.status_code == 200
    assert 'name="files-TOTAL_FORMS"' in response.content.decode()
