import threading

import pytest
from django.db import connection

from tests.factories import CourseFactory, DistrictFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_sessions_never_share_a_code():
    course, district = CourseFactory(), DistrictFactory()
    codes, errors = [], []

    def create():
        try:
            codes.append(SessionFactory(course=course, district=district).code)
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(codes) == [f"TOT-2022-{n:03d}" for n in range(1, 9)]
