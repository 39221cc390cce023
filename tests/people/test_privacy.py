"""A person's rights over their data: consent, a copy, erasure and retention."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.services import certificate_issue
from people.counts import gender_counts
from people.models import ConsentMethod, Gender, Person
from people.privacy import (
    people_anonymise_inactive,
    people_inactive,
    person_data_export,
    person_erase,
)
from people.services import person_update
from people.tasks import anonymise_inactive_people
from tests.certificates.conftest import complete
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    VillageFactory,
)
from trainings.selectors import session_counts, trained_people

pytestmark = pytest.mark.django_db


def trained_counts(**filters):
    """The people ``trained_people`` finds, by gender."""
    return gender_counts(trained_people(**filters))


PHONE = "020 5551 2345"


@pytest.fixture
def holder(make_user):
    """Bouaphanh completed the trainer's ToT and holds its certificate."""
    village = VillageFactory()
    session = SessionFactory(created_by=make_user("trainer"), district=village.district)
    person = PersonFactory(
        full_name="ນາງ ບົວພັນ ສີສຸກ",
        latin_name="Bouaphanh Sisouk",
        gender=Gender.WOMAN,
        phone=PHONE,
        birth_year=1987,
        position="Village health volunteer",
        organisation=OrganisationFactory(),
        district=village.district,
        village=village,
        consent_given_on=datetime.date(2022, 6, 14),
        consent_method=ConsentMethod.PAPER_FORM,
    )
    other = PersonFactory(full_name="ທ້າວ ສົມພອນ", gender=Gender.MAN)
    (enrolment, _other) = complete(session, [person, other])
    certificate, _ = certificate_issue(enrolment=enrolment)
    return person, session, certificate


def all_counts(session, person):
    return {
        "trained": trained_counts(),
        "by_district": trained_counts(district=person.district),
        "by_organisation_kind": trained_counts(
            organisation_kind=person.organisation.kind
        ),
        "by_course": trained_counts(course=session.course),
        "session": session_counts(session=session),
        "enrolments": person.enrolments.count(),
        "attendance": sum(e.attendances.count() for e in person.enrolments.all()),
        "people": Person.objects.count(),
    }


# Consent


def test_consent_records_the_notice_version_in_force(holder):
    person, _session, _certificate = holder

    assert person.consent_notice_version == "2026-1"
    assert person.get_consent_method_display() == "Paper form"


@override_settings(SUKSA_PRIVACY_NOTICE_VERSION="2027-2")
def test_the_notice_version_is_a_setting_and_an_explicit_one_is_kept():
    told_now = PersonFactory(consent_given_on=datetime.date(2027, 3, 1))
    told_before = PersonFactory(
        consent_given_on=datetime.date(2026, 3, 1), consent_notice_version="2026-1"
    )
    no_consent = PersonFactory()

    assert told_now.consent_notice_version == "2027-2"
    assert told_before.consent_notice_version == "2026-1"
    assert no_consent.consent_notice_version == ""


# Export


def test_the_export_holds_person_trainings_attendance_and_certificates(holder):
    person, session, certificate = holder

    data = person_data_export(person=person)

    assert data["person"]["full_name"] == "ນາງ ບົວພັນ ສີສຸກ"
    assert data["person"]["phone"] == PHONE  # the person's own copy is complete
    assert data["person"]["consent_method"] == "Paper form"
    (enrolment,) = data["enrolments"]
    assert enrolment["session"] == session.code
    assert enrolment["status"] == "Completed"
    assert enrolment["days_attended"] == 3
    assert [day["status"] for day in enrolment["attendance"]] == ["Present"] * 3
    assert data["certificates"][0]["number"] == certificate.number
    # The date that counts: the session's last day, the session being past.
    assert data["certificates"][0]["issued_on"] == session.ends_on.isoformat()
    json.dumps(data)  # plain data only


def test_an_administrator_downloads_the_export_and_it_is_logged(holder, client_as):
    person, _session, certificate = holder
    client = client_as("admin")

    summary = client.get(f"/admin/people/personal-data/{person.pk}/")
    download = client.get(
        f"/admin/people/personal-data/{person.pk}/", {"download": "json"}
    )

    assert summary.status_code == 200
    assert certificate.number in summary.content.decode()
    assert download["Content-Disposition"].endswith(f'person-{person.pk}.json"')
    assert json.loads(download.content)["person"]["latin_name"] == "Bouaphanh Sisouk"
    assert ModelLogEntry.objects.filter(
        action="suksa.person.export", object_id=str(person.pk)
    ).exists()


@pytest.mark.parametrize("username", ["manager", "trainer"])
def test_only_administrators_handle_data_requests(holder, client_as, username):
    person, _session, _certificate = holder
    client = client_as(username)

    # Wagtail answers a refused admin page with a redirect to the dashboard.
    for url in (
        f"/admin/people/personal-data/{person.pk}/",
        f"/admin/people/erase/{person.pk}/",
    ):
        assert client.get(url)["Location"] == "/admin/"
    refused = client.post(
        f"/admin/people/erase/{person.pk}/", {"confirm": "yes", "reason": "asked"}
    )
    assert refused["Location"] == "/admin/"
    person.refresh_from_db()
    assert person.erased_at is None


def test_people_outside_ones_scope_are_not_found(holder, client_as):
    person, _session, _certificate = holder

    response = client_as("officer").get(f"/admin/people/erase/{person.pk}/")

    assert response.status_code == 404


# Erasure


def test_erasure_removes_everything_that_identifies_the_person(holder, admin_user):
    person, _session, _certificate = holder

    person_erase(person=person, by=admin_user, reason="Her request of 3 May")

    person.refresh_from_db()
    assert person.erased_at is not None
    assert (person.full_name, person.latin_name, person.phone) == ("—", "", "")
    assert (person.name_key, person.phone_key) == ("", "")
    assert person.birth_year is None
    assert person.position == ""
    assert person.village is None
    assert PHONE not in json.dumps(person_data_export(person=person))
    assert "Bouaphanh" not in json.dumps(person_data_export(person=person))


def test_every_count_is_the_same_before_and_after_erasure(holder, admin_user):
    person, session, _certificate = holder
    before = all_counts(session, person)

    person_erase(person=person, by=admin_user, reason="asked")

    person.refresh_from_db()
    assert all_counts(session, person) == before
    assert person.gender == Gender.WOMAN
    assert before["trained"].women == 1


def test_erased_certificates_are_revoked_nameless_and_say_why(holder, client):
    person, _session, certificate = holder
    cache.clear()

    person_erase(person=person, reason="asked")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert (certificate.holder_name, certificate.holder_latin_name) == ("", "")
    assert not certificate.pdf
    response = client.get(f"/verify/{certificate.code}/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Revoked — holder's data erased" in html
    assert "Bouaphanh" not in html and "ບົວພັນ" not in html


def test_the_history_no_longer_names_the_person(holder, admin_user):
    person, _session, certificate = holder
    person_update(person=person, position="Nurse")  # a logged edit would keep a label
    ModelLogEntry.objects.log_action(person, "wagtail.edit", user=admin_user)

    person_erase(person=person, by=admin_user, reason="asked")

    labels = " ".join(ModelLogEntry.objects.values_list("label", flat=True))
    assert "ບົວພັນ" not in labels
    assert certificate.number in labels
    assert ModelLogEntry.objects.filter(
        action="suksa.person.erase", user=admin_user
    ).exists()


def test_erasing_twice_changes_nothing_and_an_erased_person_cannot_be_edited(holder):
    person, _session, _certificate = holder
    first = person_erase(person=person, reason="asked")

    second = person_erase(person=person, reason="asked again")

    assert second.erased_at == first.erased_at
    with pytest.raises(Exception, match="erased"):
        person_update(person=second, full_name="ນາງ ບົວພັນ")


def test_erasure_in_the_admin_asks_for_confirmation(holder, client_in_english):
    person, _session, _certificate = holder
    client = client_in_english("admin")
    url = f"/admin/people/erase/{person.pk}/"

    confirmation = client.get(url)
    unconfirmed = client.post(url, {"reason": "Her request"})
    person.refresh_from_db()
    assert confirmation.status_code == 200
    assert "cannot be undone" in confirmation.content.decode()
    assert unconfirmed.status_code == 200
    assert person.erased_at is None

    confirmed = client.post(url, {"reason": "Her request", "confirm": "yes"})

    person.refresh_from_db()
    assert confirmed.status_code == 302
    assert person.erased_at is not None


# Retention


def _last_changed(person, when: datetime.datetime) -> None:
    Person.objects.filter(pk=person.pk).update(updated_at=when)


def test_people_inactive_for_the_retention_period_are_anonymised(holder):
    person, _session, _certificate = holder  # session ended in June 2022
    recent = PersonFactory()
    long_ago = timezone.make_aware(datetime.datetime(2021, 1, 1))
    _last_changed(person, long_ago)
    today = datetime.date(2028, 1, 1)

    assert set(people_inactive(years=5, today=today)) == {person} | {
        p for p in Person.objects.exclude(pk=recent.pk) if p.updated_at < long_ago
    }
    assert people_anonymise_inactive(years=5, today=today) == 1
    assert people_anonymise_inactive(years=5, today=today) == 0  # safe to run twice
    person.refresh_from_db()
    recent.refresh_from_db()
    assert person.erased_at is not None
    assert recent.erased_at is None


def test_a_training_within_the_period_keeps_a_person(holder):
    person, _session, _certificate = holder
    _last_changed(person, timezone.make_aware(datetime.datetime(2021, 1, 1)))

    assert person not in people_inactive(years=5, today=datetime.date(2027, 6, 1))


@override_settings(SUKSA_RETENTION_YEARS=0)
def test_the_scheduled_task_uses_the_retention_setting(holder):
    person, _session, _certificate = holder
    Person.objects.update(updated_at=timezone.make_aware(datetime.datetime(2021, 1, 1)))

    # Zero years: every session has ended before today, so everyone is inactive.
    erased = anonymise_inactive_people.delay().get()

    assert erased == Person.objects.count()
    assert not Person.objects.filter(erased_at__isnull=True).exists()


def test_the_task_is_scheduled_daily():
    from django.conf import settings

    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == anonymise_inactive_people.name
    ]
    assert entry["schedule"] == 24 * 3600


# Phone numbers


def test_managers_see_phone_numbers_masked(holder, client_in_english):
    person, _session, _certificate = holder

    html = (
        client_in_english("manager")
        .get(f"/admin/people/inspect/{person.pk}/")
        .content.decode()
    )

    assert "020 ••• ••45" in html
    assert "5551" not in html


def test_the_list_search_does_not_match_phone_numbers(holder, client_as):
    person, _session, _certificate = holder

    response = client_as("admin").get("/admin/people/", {"q": "55512345"})

    assert person.full_name not in response.content.decode()


def test_find_by_phone_is_a_post_form(holder, client_as, client_in_english):
    person, _session, _certificate = holder
    client = client_in_english("admin")

    found = client.post("/admin/people/find-by-phone/", {"phone": "+856 20 5551 2345"})
    too_short = client.post("/admin/people/find-by-phone/", {"phone": "12"})

    assert found.status_code == 200
    assert person.full_name in found.content.decode()
    assert "at least 4 digits" in too_short.content.decode()
    refused = client_as("manager").get("/admin/people/find-by-phone/")
    assert refused["Location"] == "/admin/"


# Promoter work


@pytest.fixture
def promoter(admin_user):
    from promoters.models import DistrictOffice, Promoter
    from promoters.services import meeting_record, promoter_create
    from tests.factories import end_promoter

    village = VillageFactory()
    office = DistrictOffice.objects.create(district=village.district, name="Office")
    record = promoter_create(
        person=PersonFactory(full_name="ທ້າວ ຄຳລາ", district=village.district),
        role=Promoter.Role.VILLAGE_CHIEF,
        office=office,
        village=village,
        started_on=datetime.date(2019, 1, 1),
    )
    meeting_record(
        user=admin_user,
        client_uuid="6b1f0c1e-0000-4000-8000-000000000002",
        date=datetime.date(2019, 6, 1),
        village=village,
        led_by=[record],
        turnout={"women": 4, "men": 2},
        registrations={},
    )
    record = end_promoter(promoter=record, ended_on=datetime.date(2019, 12, 31))
    Person.objects.filter(pk=record.person_id).update(
        updated_at=timezone.make_aware(datetime.datetime(2019, 1, 1))
    )
    return record


def test_the_export_holds_promoter_records_and_meetings_led(promoter):
    data = person_data_export(person=promoter.person)

    (record,) = data["promoter_records"]
    assert record["role"] == "Village chief"
    assert record["meetings_led"] == [
        {"date": "2019-06-01", "village": str(promoter.village), "turnout": 6}
    ]


def test_a_meeting_led_within_the_period_keeps_a_promoter(promoter):
    person = promoter.person

    assert person not in people_inactive(years=5, today=datetime.date(2024, 1, 1))
    assert person in people_inactive(years=5, today=datetime.date(2025, 6, 2))
