import pytest
from django.urls import reverse

from certificates.models import Certificate
from operations.demo import demo_seed
from people.counts import gender_counts
from tests.conftest import DEMO_PASSWORD
from trainings.models import HistoricalTraining, Session
from trainings.selectors import cascade_reach, trained_people

# Seeding the demo takes seconds: `-m "not slow"` leaves these out of a quick run.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def trained_counts(**filters):
    """The people ``trained_people`` finds, by gender."""
    return gender_counts(trained_people(**filters))


@pytest.fixture
def demo(demo_seeded, db):
    """The demo, seeded once for the tests of tests/demo/ (see `demo_seeded`)."""
    return Session.objects.get(code="TOT-2022-001")


def test_manager_sees_the_june_2022_tot_as_26_people_in_admin_and_api(
    client_in_english, demo
):
    client = client_in_english("manager")

    page = client.get(reverse("sessions:inspect", args=[demo.pk])).content.decode()
    api = client.get(f"/api/v1/sessions/{demo.pk}/").json()

    assert "26 participants: 11 women, 15 men" in page
    assert api["participants"] == {
        "total": 26,
        "women": 11,
        "men": 15,
        "other": 0,
        "not_recorded": 0,
    }
    assert api["completed"]["total"] == 26


def test_demo_has_the_masters_programme_and_the_cascade(demo):
    masters = Session.objects.get(course__kind="long_programme")

    assert trained_counts(session=masters).total == 3
    reach = cascade_reach(session=demo)
    assert reach.total.total > 0
    assert {
        s.district.name_en for s in Session.objects.filter(course__kind="short_course")
    } == {"Paksong", "Lao Ngam"}


def test_demo_certificates_include_one_revoked_and_one_reissued(demo):
    certificates = Certificate.objects.filter(enrolment__session=demo)

    revoked = certificates.get(status="revoked")
    # Its holder completed the ToT: the lost paper was revoked and a new one issued.
    assert revoked.enrolment.status == "completed"
    assert "lost" in revoked.revoked_reason
    assert revoked.enrolment.certificates.get(status="valid").number != revoked.number
    replaced = certificates.get(status="replaced")
    assert replaced.replaced_by.status == "valid"
    assert certificates.filter(status="valid").count() == 26
    assert set(certificates.values_list("issued_on", flat=True)) == {demo.ends_on}


def test_demo_is_idempotent(demo):
    demo_seed(password=DEMO_PASSWORD)
    assert Session.objects.filter(code__startswith="TOT-2022").count() == 1
    assert Certificate.objects.filter(enrolment__session=demo).count() == 28
    assert HistoricalTraining.objects.count() == 1
