"""Lao is now indexed one character cluster at a time (materials.text.index_text):
rebuild the search index of the materials, which `update_index` would otherwise have
to do before Lao searches find anything published earlier.

It uses the current models and search backend, not the historical ones: a fresh
database has no material, and the check below keeps it from loading them at all.
"""

from django.db import migrations


def reindex_materials(apps, schema_editor):
    if not apps.get_model("materials", "MaterialPage").objects.exists():
        return
    from wagtail.search.backends import get_search_backends

    from materials.models import MaterialPage

    for backend in get_search_backends():
        backend.add_bulk(MaterialPage, MaterialPage.get_indexed_objects())


class Migration(migrations.Migration):
    dependencies = [
        ("materials", "0002_downloads_once_per_visitor_and_day"),
        ("cms", "0002_romanise_lao_slugs"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(
            reindex_materials, migrations.RunPython.noop, elidable=True
        ),
    ]
