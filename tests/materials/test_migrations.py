"""Materials' data migrations."""

import importlib
from unittest import mock

import pytest

from common.text import segment


@pytest.mark.django_db
def test_migration_reindexes_materials_indexed_the_old_way(make_material):
    from django.apps import apps

    from materials.models import MaterialPage
    from materials.selectors import materials_search

    migration = importlib.import_module("materials.migrations.0003_reindex_lao_search")
    # Indexed before this release: whole words from the word breaker.
    with mock.patch.object(
        MaterialPage, "search_text", lambda page: segment(page.summary)
    ):
        page = make_material("ປະກັນສັງຄົມ", summary="ກອງທຶນປະກັນສັງຄົມ")
    everything = MaterialPage.objects.live()
    assert not materials_search(everything, "ສັງຄົມ").exists()

    migration.reindex_materials(apps, None)

    assert list(materials_search(everything, "ສັງຄົມ")) == [page]
