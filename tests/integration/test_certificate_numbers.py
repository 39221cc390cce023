import threading

import pytest
from django.db import connection

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.certificates.conftest import complete
from tests.factories import PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_issues_never_share_a_number_and_leave_no_gap():
    session = SessionFactory()
    enrolments = complete(session, [PersonFactory() for _ in range(8)])
    barrier = threading.Barrier(len(enrolments))
    errors = []

    def issue(enrolment):
        try:
            barrier.wait(timeout=10)
            certificate_issue(enrolment=enrolment)
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(e,)) for e in enrolments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"LSSO-TOT-2022-{n:04d}" for n in range(1, 9)]
