"""Pages made before Lao titles were romanised have slugs of Lao letters without their
vowel and tone marks (ເງນບຳນານ-…). Give them Latin slugs from their titles; Wagtail's
redirects app keeps the old addresses working (cms.services.page_slugs_romanise).

It runs the service with the current models, not the historical ones: a fresh
database has no such page, and the check below keeps it from loading them at all.
"""

from django.db import migrations

from cms.slugs import LAO_SLUG_PATTERN


def romanise_lao_slugs(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    if not Page.objects.filter(slug__regex=LAO_SLUG_PATTERN).exists():
        return
    from cms.services import page_slugs_romanise

    page_slugs_romanise()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("materials", "0002_downloads_once_per_visitor_and_day"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [
        migrations.RunPython(
            romanise_lao_slugs, migrations.RunPython.noop, elidable=True
        ),
    ]
