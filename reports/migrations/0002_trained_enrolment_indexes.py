"""Indexes the report queries need on trainings' enrolments and on certificates.

Every report counts "participants who completed" (trainings.selectors
.trained_enrolments). Partial covering indexes on exactly those rows let the database
answer a period's counts from the index alone (benchmarks/reports.py). They live here
because reports is the app whose queries need them; they are plain SQL that both
SQLite and PostgreSQL understand.
"""

from django.db import migrations

CONDITION = "WHERE role = 'participant' AND status = 'completed'"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("trainings", "0002_course_hours"),
        ("certificates", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_trained_by_session "
            f"ON trainings_enrolment (session_id, person_id) {CONDITION}",
            "DROP INDEX IF EXISTS reports_trained_by_session",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_trained_by_person "
            f"ON trainings_enrolment (person_id, session_id) {CONDITION}",
            "DROP INDEX IF EXISTS reports_trained_by_person",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_certificate_issued_at "
            "ON certificates_certificate (issued_at)",
            "DROP INDEX IF EXISTS reports_certificate_issued_at",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_certificate_revoked_at "
            "ON certificates_certificate (revoked_at) WHERE revoked_at IS NOT NULL",
            "DROP INDEX IF EXISTS reports_certificate_revoked_at",
        ),
    ]
