"""The few admin texts Wagtail never translates, made Lao (accounts.admin_language)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_labels_the_password_in_lao(client):
    page = client.get(reverse("wagtailadmin_login")).content.decode()

    assert "ລະຫັດຜ່ານ" in page
    assert ">Password<" not in page


def test_a_yes_no_filter_chip_reads_yes_in_lao(client_as):
    client = client_as("trainer")

    page = client.get(reverse("sessions:index"), {"mine": "true"}).content.decode()

    chip = 'ຊຸດຝຶກອົບຮົມຂອງຂ້ອຍ: </span> <b class="w-ml-1">ແມ່ນ</b>'  # "My sessions: Yes"
    assert chip in " ".join(page.split())
    assert ">True<" not in page


def test_a_yes_no_cell_is_titled_in_lao(client_as):
    client = client_as("admin")

    page = client.get(reverse("wagtailusers_users:index")).content.decode()

    page = " ".join(page.split())
    assert '<span class="w-sr-only"> ແມ່ນ </span>' in page  # the users are active
    assert '<span class="w-sr-only"> True </span>' not in page
