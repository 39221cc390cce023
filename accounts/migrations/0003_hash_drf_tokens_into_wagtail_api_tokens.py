"""Existing DRF tokens (``authtoken_token``, plain text) become hashed Wagtail API
tokens: the same key keeps working, counted from today for SUKSA_API_TOKEN_DAYS,
and the plain-text rows are deleted. ``rest_framework.authtoken`` is no longer
installed; its empty table is left for the operator to drop."""

from django.db import migrations
from django.utils import timezone


def hash_drf_tokens(apps, schema_editor):
    from wagtail.models import APIToken as WagtailAPIToken

    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    APIToken = apps.get_model("wagtailcore", "APIToken")
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id FROM authtoken_token")
        rows = cursor.fetchall()
    now = timezone.now()
    for key, user_id in rows:
        token = APIToken.objects.create(
            user_id=user_id,
            name="drf_create_token",
            key_hash=WagtailAPIToken.hash_token(key),
            prefix=key[:8],
        )
        APIToken.objects.filter(pk=token.pk).update(created=now)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_loginthrottle_recoverycode_twofactordevice"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(hash_drf_tokens, migrations.RunPython.noop),
    ]
