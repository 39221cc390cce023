"""Who reads the trails: the field history, Wagtail's site history and the audit trail
are for administrators only (issue 13: the site history showed trainers and officers
names from outside their scope)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from access.policy import sees_site_history
from people.models import Person
from people.services import person_update
from tests.factories import PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db

OTHERS = ["editor", "trainer", "manager", "officer"]


def lao(message: str) -> str:
    with translation.override("lo"):
        return gettext(message)


@pytest.fixture
def edited(admin_user):
    person = PersonFactory(full_name="ນາງ ບົວພັນ", position="Clerk")
    person_update(person=person, position="Nurse", by=admin_user)
    return person


def test_only_administrators_see_the_site_history(make_user, admin_user):
    assert sees_site_history(admin_user)
    for role in OTHERS + ["promoter"]:
        assert not sees_site_history(make_user(role)), role


def test_an_administrator_reads_the_field_history_in_lao(client_as, edited):
    response = client_as("admin").get("/admin/field-history/")

    html = response.content.decode()
    assert response.status_code == 200
    assert lao("Field history") in html and lao("Field history") != "Field history"
    assert "ນາງ ບົວພັນ" in html and "Clerk → Nurse" in html


def test_the_field_history_filters_by_record_type_record_and_who(
    client_as, edited, admin_user
):
    other = SessionFactory()
    client = client_as("admin")
    index = reverse("field_history:index")
    person_type = ContentType.objects.get_for_model(Person).pk

    by_record = client.get(
        index, {"content_type": person_type, "object_pk": str(edited.pk)}
    )
    by_actor = client.get(index, {"actor": str(admin_user.pk)})
    by_date = client.get(
        index, {"timestamp_from": "2000-01-01", "timestamp_to": "2000-01-02"}
    )

    assert "Clerk → Nurse" in by_record.content.decode()
    assert other.code not in by_record.content.decode()
    assert "Clerk → Nurse" in by_actor.content.decode()
    assert lao("No change matches these filters.") in by_date.content.decode()


@pytest.mark.parametrize("role", OTHERS)
def test_no_one_else_reads_the_field_history(client_as, edited, role):
    response = client_as(role).get("/admin/field-history/")

    assert response.status_code in (302, 403)
    assert "ນາງ ບົວພັນ" not in response.content.decode()


@pytest.mark.parametrize("role", ["trainer", "officer", "manager"])
def test_wagtail_site_history_is_refused_to_other_roles(client_as, role):
    client = client_as(role)

    assert client.get("/admin/reports/site-history/").status_code == 403
    assert client.get("/admin/reports/site-history/results/").status_code == 403
    assert "site-history" not in client.get("/admin/reports/").content.decode()


def test_an_administrator_reads_the_site_history(client_as):
    assert client_as("admin").get("/admin/reports/site-history/").status_code == 200


@pytest.mark.parametrize("role", ["trainer", "officer", "manager"])
def test_the_audit_trail_is_refused_to_other_roles(client_as, role):
    response = client_as(role).get("/admin/audit/")

    assert response.status_code in (302, 403)


def test_an_empty_field_history_says_so(client_as):
    from auditlog.models import LogEntry

    LogEntry.objects.all().delete()

    response = client_as("admin").get("/admin/field-history/")

    assert lao("No change has been recorded yet.") in response.content.decode()
