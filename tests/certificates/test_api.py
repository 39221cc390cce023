import datetime
import io
import zipfile

import pytest
from django.core.cache import cache

from certificates.models import Certificate, CertificateJob
from certificates.rendering import verify_url
from certificates.services import (
    certificate_issue,
    certificate_job_start,
    certificate_reissue,
    certificate_revoke,
)
from tests.certificates.conftest import complete
from tests.factories import PersonFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
BOUAPHANH = "ນາງ ບົວພັນ ສີສຸກ"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The verification rate limit counts in the cache, shared by every test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(graduates):
    """The trainer's session with its two graduates' certificates."""
    session, (first, second, _absent) = graduates
    return session, [certificate_issue(enrolment=e)[0] for e in (first, second)]


@pytest.fixture
def finished_job(issued, django_capture_on_commit_callbacks):
    """A bulk issue the trainer started, run to the end (the eager task)."""
    session, _certificates = issued

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            job = certificate_job_start(session=session, by=session.created_by)
        job.refresh_from_db()
        return job

    return run


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# Who may do what ---------------------------------------------------------------------

USERS = ["trainer", "trainer2", "manager", "promoter", "anonymous"]

# The trainer's session and certificates, and the trainer's job: trainer2 and the
# promoter cannot see them at all; the manager sees them but only revokes. Revoking
# needs the certificate permission first (403 without it, as in the admin).
MATRIX = {
    #                     trainer trainer2 manager promoter anonymous
    "list": (200, 200, 200, 200, 403),
    "mine": (200, 200, 200, 200, 403),
    "detail": (200, 404, 200, 404, 403),
    "pdf": (200, 404, 200, 404, 403),
    "issue": (202, 404, 403, 403, 403),
    "job status": (200, 404, 200, 404, 403),
    "job pdf": (200, 404, 200, 404, 403),
    "job zip": (200, 404, 200, 404, 403),
    "revoke": (403, 403, 200, 403, 403),
    "verify": (200, 200, 200, 200, 200),
}


def call(client, endpoint, issued, finished_job):
    session, (certificate, _second) = issued
    base = f"/api/v1/certificates/{certificate.pk}"
    if endpoint.startswith("job"):
        job = finished_job()
        path = {"job status": "", "job pdf": "pdf/", "job zip": "zip/"}[endpoint]
        return client.get(f"/api/v1/jobs/{job.pk}/{path}")
    requests = {
        "list": lambda: client.get(f"/api/v1/certificates/?session={session.pk}"),
        "mine": lambda: client.get("/api/v1/certificates/mine/"),
        "detail": lambda: client.get(f"{base}/"),
        "pdf": lambda: client.get(f"{base}/pdf/"),
        "issue": lambda: client.post(f"/api/v1/sessions/{session.pk}/certificates/"),
        "revoke": lambda: client.post(
            f"{base}/revoke/", {"reason": "Wrong person"}, "application/json"
        ),
        "verify": lambda: client.get(f"/api/v1/verify/{certificate.code}/"),
    }
    return requests[endpoint]()


@pytest.mark.parametrize("endpoint", MATRIX)
@pytest.mark.parametrize("user", USERS)
def test_permission_matrix(client, client_as, issued, finished_job, endpoint, user):
    api = client if user == "anonymous" else client_as(user)

    response = call(api, endpoint, issued, finished_job)

    assert response.status_code == MATRIX[endpoint][USERS.index(user)]


@pytest.mark.parametrize(
    "user, sees_them",
    [
        ("trainer", True),
        ("manager", True),
        ("admin", True),
        ("trainer2", False),
        ("promoter", False),
    ],
)
def test_the_list_shows_the_certificates_only_to_those_who_see_the_session(
    client_as, issued, user, sees_them
):
    results = client_as(user).get("/api/v1/certificates/").json()["results"]

    numbers = [row["number"] for row in results]
    expected = ["LSSO-TOT-2022-0001", "LSSO-TOT-2022-0002"] if sees_them else []
    assert numbers == expected


def test_nothing_changes_for_those_who_may_not(client_as, issued):
    session, (certificate, _second) = issued

    client_as("trainer").post(
        f"/api/v1/certificates/{certificate.pk}/revoke/",
        {"reason": "Wrong person"},
        "application/json",
    )
    client_as("trainer2").post(
        f"/api/v1/certificates/{certificate.pk}/revoke/",
        {"reason": "Wrong person"},
        "application/json",
    )
    client_as("manager").post(f"/api/v1/sessions/{session.pk}/certificates/")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert not CertificateJob.objects.exists()


# Listing and downloading -------------------------------------------------------------


def test_a_listed_certificate_carries_its_facts_and_pdf_address(client_as, issued):
    session, (certificate, _second) = issued

    results = (
        client_as("trainer")
        .get(f"/api/v1/certificates/?session={session.pk}")
        .json()["results"]
    )

    first = results[0]
    assert set(first) == {
        "id",
        "number",
        "code",
        "status",
        "holder",
        "session",
        "issued_at",
        "issued_on",
        "pdf",
    }
    assert first["id"] == certificate.pk
    assert first["number"] == "LSSO-TOT-2022-0001"
    assert first["code"] == certificate.code
    assert first["status"] == "valid"
    assert first["holder"] == BOUAPHANH
    assert first["session"] == session.pk
    assert datetime.datetime.fromisoformat(first["issued_at"]) == certificate.issued_at
    assert first["issued_on"] == session.ends_on.isoformat()  # the session is past
    assert (
        first["pdf"] == f"http://testserver/api/v1/certificates/{certificate.pk}/pdf/"
    )


def test_the_list_is_filtered_by_session(client_as, issued):
    other = SessionFactory()
    (enrolment,) = complete(other, [PersonFactory(full_name="Other graduate")])
    certificate_issue(enrolment=enrolment)
    api = client_as("manager")

    everything = api.get("/api/v1/certificates/").json()["results"]
    one_session = api.get(f"/api/v1/certificates/?session={other.pk}").json()
    assert len(everything) == 3
    assert [row["holder"] for row in one_session["results"]] == ["Other graduate"]


def test_the_pdf_is_the_certificate(client_as, issued):
    _session, (certificate, _second) = issued

    response = client_as("manager").get(f"/api/v1/certificates/{certificate.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "LSSO-TOT-2022-0001.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


# Issuing a session's certificates ---------------------------------------------------


def test_issuing_runs_a_job_that_ends_done_with_its_files(
    client_as, graduates, django_capture_on_commit_callbacks
):
    session, _enrolments = graduates
    api = client_as("trainer")

    with django_capture_on_commit_callbacks(execute=True):
        # The eager task runs in the request's language, as a worker in its own.
        response = api.post(f"/api/v1/sessions/{session.pk}/certificates/", **ENGLISH)

    assert response.status_code == 202
    job = response.json()["job"]
    status = api.get(f"/api/v1/jobs/{job}/", **ENGLISH).json()
    assert status == {
        "state": "done",
        "progress": 100,
        "done": 2,
        "total": 2,
        "message": "2 certificates ready.",
        "pdf": f"http://testserver/api/v1/jobs/{job}/pdf/",
        "zip": f"http://testserver/api/v1/jobs/{job}/zip/",
    }
    holders = Certificate.objects.values_list("holder_name", flat=True)
    assert sorted(holders) == sorted([BOUAPHANH, "ນາງ ມະນີວອນ ພົມມະຈັນ"])
    pdf = api.get(f"/api/v1/jobs/{job}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert content_of(pdf).startswith(b"%PDF")
    archive = zipfile.ZipFile(
        io.BytesIO(content_of(api.get(f"/api/v1/jobs/{job}/zip/")))
    )
    assert sorted(archive.namelist()) == [
        "LSSO-TOT-2022-0001 ນາງ ບົວພັນ ສີສຸກ.pdf",
        "LSSO-TOT-2022-0002 ນາງ ມະນີວອນ ພົມມະຈັນ.pdf",
    ]


def test_issuing_twice_gives_the_same_certificates(
    client_as, graduates, django_capture_on_commit_callbacks
):
    session, _enrolments = graduates
    api = client_as("trainer")
    url = f"/api/v1/sessions/{session.pk}/certificates/"
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(url)
    issued = set(Certificate.objects.values_list("pk", "number", "code"))

    with django_capture_on_commit_callbacks(execute=True):
        second = api.post(url)

    assert second.status_code == 202
    assert second.json()["job"] != first.json()["job"]
    assert len(issued) == 2
    assert set(Certificate.objects.values_list("pk", "number", "code")) == issued
    assert api.get(f"/api/v1/jobs/{second.json()['job']}/").json()["state"] == "done"


def test_a_waiting_job_has_no_files_yet(client_as, graduates):
    session, _enrolments = graduates
    api = client_as("trainer")

    # Without the commit the task is never queued: the job stays waiting.
    job = api.post(f"/api/v1/sessions/{session.pk}/certificates/").json()["job"]

    status = api.get(f"/api/v1/jobs/{job}/").json()
    assert (status["state"], status["progress"]) == ("pending", 0)
    assert (status["pdf"], status["zip"]) == (None, None)
    assert api.get(f"/api/v1/jobs/{job}/pdf/").status_code == 404
    assert api.get(f"/api/v1/jobs/{job}/zip/").status_code == 404
    assert client_as("manager").get(f"/api/v1/jobs/{job}/").status_code == 200


def test_an_unknown_job_is_not_found(client_as):
    api = client_as("admin")

    assert api.get("/api/v1/jobs/999/").status_code == 404
    assert api.get("/api/v1/jobs/nope/").status_code == 404


# Revoking ---------------------------------------------------------------------------


def test_manager_revokes_and_the_check_says_revoked(client, client_as, issued):
    _session, (certificate, _second) = issued

    response = client_as("manager").post(
        f"/api/v1/certificates/{certificate.pk}/revoke/",
        {"reason": "Issued to the wrong person"},
        "application/json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Issued to the wrong person"
    assert certificate.revoked_by.username == "manager"
    # Midday in Vientiane: the same day whichever clock the date is read from.
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=datetime.datetime(2030, 1, 5, 5, 0, tzinfo=datetime.UTC)
    )
    facts = client.get(f"/api/v1/verify/{certificate.code}/").json()
    assert (facts["status"], facts["revoked_on"]) == ("revoked", "2030-01-05")


def test_administrator_revokes_too(client_as, issued):
    _session, (certificate, _second) = issued

    response = client_as("admin").post(
        f"/api/v1/certificates/{certificate.pk}/revoke/",
        {"reason": "Duplicate"},
        "application/json",
    )

    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED


@pytest.mark.parametrize("body", [{}, {"reason": "   "}])
def test_revoking_without_a_reason_is_refused_with_the_services_message(
    client_as, issued, body
):
    _session, (certificate, _second) = issued

    response = client_as("manager").post(
        f"/api/v1/certificates/{certificate.pk}/revoke/",
        body,
        "application/json",
        **ENGLISH,
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Say why the certificate is revoked."]
    }
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_a_revoked_certificate_cannot_be_revoked_again(client_as, issued):
    _session, (certificate, _second) = issued
    api = client_as("manager")
    url = f"/api/v1/certificates/{certificate.pk}/revoke/"
    api.post(url, {"reason": "Duplicate"}, "application/json")

    response = api.post(url, {"reason": "Again"}, "application/json", **ENGLISH)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Only a valid certificate can be revoked."]
    }


# A holder with an account ------------------------------------------------------------


@pytest.fixture
def promoter_holder(make_user, issued):
    """The promoter completed another of the trainer's sessions: a certificate."""
    trainer_session, _certificates = issued
    promoter = make_user("promoter")
    session = SessionFactory(
        created_by=trainer_session.created_by,
        starts_on=datetime.date(2022, 7, 1),
        ends_on=datetime.date(2022, 7, 2),
    )
    person = PersonFactory(full_name="ທ້າວ ຄຳແພງ", user=promoter, phone="020 7777 1234")
    (enrolment,) = complete(session, [person])
    certificate, _ = certificate_issue(enrolment=enrolment)
    return certificate


def test_a_promoter_sees_and_downloads_their_own_certificate_only(
    client_as, issued, promoter_holder
):
    _session, (someone_elses, _second) = issued
    api = client_as("promoter")

    mine = api.get("/api/v1/certificates/mine/").json()["results"]
    assert [(row["id"], row["holder"]) for row in mine] == [
        (promoter_holder.pk, "ທ້າວ ຄຳແພງ")
    ]
    assert mine[0]["pdf"].endswith(f"/api/v1/certificates/{promoter_holder.pk}/pdf/")
    own = api.get(f"/api/v1/certificates/{promoter_holder.pk}/pdf/")
    assert own.status_code == 200
    assert own.content.startswith(b"%PDF")
    others = api.get(f"/api/v1/certificates/{someone_elses.pk}/pdf/")
    assert others.status_code == 404
    # The staff list is not theirs, and they cannot revoke their own.
    assert api.get("/api/v1/certificates/").json()["results"] == []
    revoke = api.post(
        f"/api/v1/certificates/{promoter_holder.pk}/revoke/",
        {"reason": "I want a new one"},
        "application/json",
    )
    assert revoke.status_code == 403


def test_staff_without_a_person_have_no_certificates_of_their_own(
    client_as, issued, promoter_holder
):
    for user in ("trainer", "manager", "admin"):
        response = client_as(user).get("/api/v1/certificates/mine/")

        assert response.json()["results"] == []


def test_a_person_with_an_account_but_no_certificate_has_none(client, issued):
    user = UserFactory(username="someone")
    PersonFactory(full_name="Nobody", user=user)
    client.force_login(user)

    assert client.get("/api/v1/certificates/mine/").json()["results"] == []


# Public verification -----------------------------------------------------------------


def test_anyone_checks_a_code_and_gets_the_public_facts(client, issued):
    _session, (certificate, _second) = issued
    # Issued on 17 June 2022, the day after the session.
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=datetime.datetime(2022, 6, 17, 3, 0, tzinfo=datetime.UTC),
        issued_on=datetime.date(2022, 6, 17),
    )

    response = client.get(f"/api/v1/verify/{certificate.code}/")

    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response.json() == {
        "status": "valid",
        "holder": BOUAPHANH,
        "holder_latin": "Bouaphanh Sisouk",
        "course": {
            "lo": "ການຝຶກອົບຮົມຄູຝຶກ ດ້ານການປົກປ້ອງສັງຄົມຂັ້ນພື້ນຖານ",
            "en": "Training of Trainers on basic social protection",
        },
        "issued_on": "2022-06-17",
        "starts_on": "2022-06-14",
        "ends_on": "2022-06-16",
        "issuer": {
            "lo": "ອົງການປະກັນສັງຄົມແຫ່ງຊາດ",
            "en": "Lao Social Security Organisation",
        },
        "number": "LSSO-TOT-2022-0001",
        "revoked_on": None,
        "replaced_by": None,
    }
    assert "5551" not in response.content.decode()  # her phone number


@pytest.mark.parametrize("typed", ["lowercase code", "LSSO-TOT-2022-0001"])
def test_the_api_reads_a_code_in_small_letters_and_the_printed_number(
    client, issued, typed
):
    _session, (certificate, _second) = issued
    if typed == "lowercase code":
        typed = certificate.code.lower().replace("-", "")

    response = client.get(f"/api/v1/verify/{typed}/")

    assert response.status_code == 200
    assert response.json()["holder"] == BOUAPHANH


def test_a_signed_in_user_checks_codes_like_anyone(client_as, issued):
    _session, (certificate, _second) = issued

    response = client_as("promoter").get(f"/api/v1/verify/{certificate.code}/")

    assert response.json()["number"] == "LSSO-TOT-2022-0001"


def test_an_unknown_code_is_not_found(client):
    response = client.get("/api/v1/verify/no-such-code/")

    assert response.status_code == 404
    assert response.json() == {"status": "unknown"}
    assert response["X-Robots-Tag"].startswith("noindex")


def test_a_replaced_certificate_points_to_the_new_one(client, issued, admin_user):
    _session, (certificate, _second) = issued
    new = certificate_reissue(certificate=certificate, by=admin_user)

    old = client.get(f"/api/v1/verify/{certificate.code}/").json()
    current = client.get(f"/api/v1/verify/{new.code}/").json()

    assert old["status"] == "replaced"
    assert old["replaced_by"] == verify_url(new.code)
    assert old["replaced_by"].endswith(f"/verify/{new.code}/")
    assert (current["status"], current["replaced_by"]) == ("valid", None)


def test_checks_are_rate_limited_per_address(client, issued, settings):
    _session, (certificate, _second) = issued
    settings.SUKSA_VERIFY_RATE_PER_MINUTE = 3
    url = f"/api/v1/verify/{certificate.code}/"

    answers = [client.get(url, REMOTE_ADDR="10.0.0.1").status_code for _ in range(4)]
    too_many = client.get(url, REMOTE_ADDR="10.0.0.1", **ENGLISH)

    assert answers == [200, 200, 200, 429]
    assert too_many.status_code == 429
    assert "Too many certificates were checked" in too_many.json()["detail"]
    assert too_many["X-Robots-Tag"].startswith("noindex")
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_checking_a_code_is_read_only(client, issued):
    _session, (certificate, _second) = issued

    response = client.post(f"/api/v1/verify/{certificate.code}/")

    assert response.status_code == 405


def test_the_revocation_date_is_the_day_in_vientiane(client, issued, admin_user):
    _session, (certificate, _second) = issued
    certificate_revoke(certificate=certificate, reason="Duplicate", by=admin_user)
    # 2030-01-05 20:00 UTC is 03:00 on 6 January in Vientiane.
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=datetime.datetime(2030, 1, 5, 20, 0, tzinfo=datetime.UTC)
    )

    facts = client.get(f"/api/v1/verify/{certificate.code}/").json()

    assert facts["revoked_on"] == "2030-01-06"


def test_one_participant_gets_a_certificate_through_the_api(
    client_as, graduates_for_api
):
    session, enrolment = graduates_for_api
    client = client_as("trainer")

    first = client.post(f"/api/v1/enrolments/{enrolment.pk}/certificate/")
    again = client.post(f"/api/v1/enrolments/{enrolment.pk}/certificate/")

    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["number"] == again.json()["number"]
    assert (
        client_as("trainer2")
        .post(f"/api/v1/enrolments/{enrolment.pk}/certificate/")
        .status_code
        == 404
    )
    assert (
        client_as("manager")
        .post(f"/api/v1/enrolments/{enrolment.pk}/certificate/")
        .status_code
        == 403
    )


@pytest.fixture
def graduates_for_api(graduates):
    session, enrolments = graduates
    return session, enrolments[0]
