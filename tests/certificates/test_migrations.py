"""The issue dates given to certificates made before issue dates existed."""

import datetime
import importlib

import pytest
from django.apps import apps

from certificates.models import Certificate
from certificates.services import certificate_issue

pytestmark = pytest.mark.django_db

migration = importlib.import_module("certificates.migrations.0004_i18f_issued_on")


def test_old_certificates_count_from_the_session_end_and_keep_their_printed_day(
    graduates,
):
    session, (first, second, _absent) = graduates
    late, _ = certificate_issue(enrolment=first)
    same_day, _ = certificate_issue(enrolment=second)
    # Made in December 2026 for a session that ended in June 2022; and one made
    # on the session's last day.
    Certificate.objects.filter(pk=late.pk).update(
        issued_at=datetime.datetime(2026, 12, 1, 3, tzinfo=datetime.UTC),
        issued_on=datetime.date(2000, 1, 1),
    )
    Certificate.objects.filter(pk=same_day.pk).update(
        issued_at=datetime.datetime(2022, 6, 16, 3, tzinfo=datetime.UTC),
        issued_on=datetime.date(2000, 1, 1),
    )

    migration.issue_dates_set(apps, None)

    late.refresh_from_db()
    same_day.refresh_from_db()
    assert late.issued_on == session.ends_on
    assert late.printed_on == datetime.date(2026, 12, 1)
    assert late.date_printed == datetime.date(2026, 12, 1)
    assert same_day.issued_on == datetime.date(2022, 6, 16)
    assert same_day.printed_on is None
