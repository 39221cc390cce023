import pytest
from django.urls import reverse

from places.models import District, Village
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def test_administrator_corrects_a_district_name(client_as):
    district = DistrictFactory(code="1604", name_lo="ປາກຊອງ", name_en="Pakxong")
    client = client_as("admin")
    url = reverse("districts:edit", args=[district.pk])

    response = client.post(
        url,
        {
            "province": district.province_id,
            "code": "1604",
            "name_lo": "ປາກຊ່ອງ",
            "name_en": "Paksong",
        },
    )

    assert response.status_code == 302
    district.refresh_from_db()
    assert (district.name_lo, district.name_en) == ("ປາກຊ່ອງ", "Paksong")


def test_officer_adds_a_village_but_cannot_edit_districts(client_as):
    district = DistrictFactory()
    client = client_as("officer")

    response = client.post(
        reverse("villages:add"),
        {"district": district.pk, "name_lo": "ບ້ານ ໜອງຫຼວງ", "name_en": "Nonglouang"},
    )

    assert response.status_code == 302
    assert Village.objects.get(district=district).name_lo == "ບ້ານ ໜອງຫຼວງ"
    edit = client.get(reverse("districts:edit", args=[district.pk]))
    assert edit.status_code in (302, 403)
    assert District.objects.get(pk=district.pk).name_lo == district.name_lo


def test_district_listing_shows_lao_names_and_filters_by_province(client_as):
    district = DistrictFactory(name_lo="ປາກຊ່ອງ")
    response = client_as("manager").get(
        reverse("districts:index"), {"province": district.province_id}
    )

    assert response.status_code == 200
    assert "ປາກຊ່ອງ" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("districts:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
