import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import PersonFactory, SessionFactory
from trainings.models import Enrolment
from trainings.services import enrolment_add

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_enrolments_into_a_capacity_one_session_enrol_exactly_one():
    session = SessionFactory(capacity=1)
    people = [PersonFactory() for _ in range(12)]
    enrolled, full, errors = [], [], []
    start = threading.Barrier(len(people))

    def enrol(person):
        try:
            start.wait()
            enrolled.append(enrolment_add(session=session, person=person))
        except ValidationError as error:
            full.append(error)
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(enrolled) == 1
    assert len(full) == 11
    assert Enrolment.objects.filter(session=session).count() == 1
