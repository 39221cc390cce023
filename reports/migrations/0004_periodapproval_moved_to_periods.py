"""PeriodApproval now belongs to ``periods`` (see ``periods.0001_initial``): only
Django's state forgets it here; the table ``reports_periodapproval`` and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_facts"),
        ("periods", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="PeriodApproval")],
        ),
    ]
