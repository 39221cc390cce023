"""PeriodApproval moves here from ``reports``: the model changes app, its table does not.

On a database that has the table (created by ``reports.0001_initial``, on which this
depends, on a fresh database too) only Django's state changes, so no row is copied
or lost. The content type moves with the model, so its permissions, and the
history of approvals already logged, follow it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _content_type_move(apps, from_label: str, to_label: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType")
    moving = content_types.objects.filter(app_label=from_label, model="periodapproval")
    if not content_types.objects.filter(
        app_label=to_label, model="periodapproval"
    ).exists():
        moving.update(app_label=to_label)


def content_type_forwards(apps, schema_editor):
    _content_type_move(apps, "reports", "periods")


def content_type_backwards(apps, schema_editor):
    _content_type_move(apps, "periods", "reports")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("places", "0001_initial"),
        ("reports", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="PeriodApproval",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("month", "Month"), ("quarter", "Quarter")],
                                max_length=8,
                                verbose_name="period",
                            ),
                        ),
                        ("starts_on", models.DateField(verbose_name="first day")),
                        ("ends_on", models.DateField(verbose_name="last day")),
                        (
                            "approved_at",
                            models.DateTimeField(verbose_name="approved at"),
                        ),
                        (
                            "revoked_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="un-approved at"
                            ),
                        ),
                        (
                            "revoke_reason",
                            models.TextField(
                                blank=True, verbose_name="reason for un-approval"
                            ),
                        ),
                        (
                            "approved_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="approved by",
                            ),
                        ),
                        (
                            "district",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="period_approvals",
                                to="places.district",
                                verbose_name="district",
                            ),
                        ),
                        (
                            "revoked_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="un-approved by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "period approval",
                        "verbose_name_plural": "period approvals",
                        "db_table": "reports_periodapproval",
                        "ordering": ["-starts_on", "district__code"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("revoked_at__isnull", True)),
                                fields=["district", "starts_on", "ends_on"],
                                name="period_approval_active",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("revoked_at__isnull", True)),
                                fields=("district", "kind", "starts_on"),
                                name="one_active_approval_per_period",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("ends_on__gte", models.F("starts_on"))
                                ),
                                name="period_approval_ends_after_it_starts",
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_forwards, content_type_backwards),
    ]
