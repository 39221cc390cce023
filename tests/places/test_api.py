import pytest

from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def test_districts_need_an_account(client):
    assert client.get("/api/v1/districts/").status_code == 403


def test_districts_filter_by_province_code(client_as):
    DistrictFactory(code="1604", name_en="Paksong")
    response = client_as("trainer").get("/api/v1/districts/", {"province__code": "16"})

    assert response.status_code == 200
    assert [d["name_en"] for d in response.json()["results"]] == ["Paksong"]
    assert response.json()["results"][0]["province"] == "16"
