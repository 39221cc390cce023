"""Materials published in a period (the results table's figure, issue 17): by
their published date, else the day they went live; a material in Lao and English
counts once; a project filter keeps the materials that name it."""

import datetime

import pytest
from django.db.models import Q
from wagtail.models import Locale

from materials.selectors import materials_published
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

Y2023 = {"date_from": datetime.date(2023, 1, 1), "date_to": datetime.date(2023, 12, 31)}


def test_counted_by_published_date_once_per_material(make_material):
    decision = make_material("ຂໍ້ຕົກລົງ 4369", published_date=datetime.date(2023, 3, 15))
    english = decision.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    make_material("ໃບປິວ", published_date=datetime.date(2022, 6, 1))
    make_material("ຮ່າງ", published_date=datetime.date(2023, 5, 1), live=False)

    assert len(materials_published(**Y2023)) == 1
    assert len(materials_published()) == 2


def test_without_a_published_date_the_day_it_went_live_counts(make_material):
    make_material("ໂປສເຕີ")
    this_year = datetime.date.today().year

    published = materials_published(
        date_from=datetime.date(this_year, 1, 1),
        date_to=datetime.date(this_year, 12, 31),
    )
    assert len(published) == 1
    assert len(materials_published(**Y2023)) == 0


def test_the_project_filter_keeps_the_materials_naming_it(make_material):
    project = ProjectFactory()
    named = make_material("ຂໍ້ຕົກລົງ", published_date=datetime.date(2023, 3, 15))
    named.projects = [project]
    named.save_revision().publish()
    make_material("ອື່ນ", published_date=datetime.date(2023, 4, 1))

    assert len(materials_published(linked=Q(projects=project), **Y2023)) == 1
    assert len(materials_published(**Y2023)) == 2
