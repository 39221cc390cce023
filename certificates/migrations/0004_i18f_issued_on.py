"""The date that counts for every certificate already issued: its session's last day
when the session had ended before the certificate was made, else the day it was
made (local time). Where that moves the date, ``printed_on`` keeps the day the
certificate was made, so its PDF goes on printing what was handed out."""

from django.db import migrations, models
from django.utils import timezone


def issue_dates_set(apps, schema_editor):
    certificate_model = apps.get_model("certificates", "Certificate")
    certificates = certificate_model.objects.select_related("enrolment__session")
    for certificate in certificates.iterator():
        made_on = timezone.localdate(certificate.issued_at)
        ends_on = certificate.enrolment.session.ends_on
        certificate.issued_on = ends_on if ends_on < made_on else made_on
        certificate.printed_on = made_on if ends_on < made_on else None
        certificate.save(update_fields=["issued_on", "printed_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_template_official_look"),
        ("trainings", "0004_enrolment_completion_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="issued_on",
            field=models.DateField(null=True, verbose_name="issue date"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="printed_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(issue_dates_set, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="issued_on",
            field=models.DateField(verbose_name="issue date"),
        ),
    ]
