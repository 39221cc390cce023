"""Certificates are counted by their issue date (``Certificate.issued_on``), no longer
by the moment their record was made; the derived rows take it from the certificates."""

from django.db import migrations, models

COPY_ISSUE_DATES = """
UPDATE reports_certificatefact SET issued_on = (
    SELECT c.issued_on FROM certificates_certificate c
    WHERE c.id = reports_certificatefact.certificate_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0004_i18f_issued_on"),
        ("reports", "0005_i18e_programmes_abroad"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="certificatefact",
            name="certificate_fact_issued",
        ),
        migrations.RemoveField(
            model_name="certificatefact",
            name="issued_at",
        ),
        migrations.AddField(
            model_name="certificatefact",
            name="issued_on",
            field=models.DateField(null=True),
        ),
        migrations.RunSQL(COPY_ISSUE_DATES, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="certificatefact",
            name="issued_on",
            field=models.DateField(),
        ),
        migrations.AddIndex(
            model_name="certificatefact",
            index=models.Index(
                fields=["issued_on", "gender"],
                include=(
                    "session",
                    "district",
                    "province",
                    "course",
                    "course_kind",
                    "organisation_kind",
                ),
                name="certificate_fact_issued",
            ),
        ),
    ]
