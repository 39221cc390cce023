import pytest
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_actor, audit_record
from certificates.models import Certificate
from certificates.services import (
    certificate_issue,
    certificate_job_start,
    certificate_reissue,
    certificate_revoke,
)
from tests.certificates.conftest import complete, graduates  # noqa: F401
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def test_an_event_records_who_when_what_and_from_where(make_user, settings):
    settings.SUKSA_TRUSTED_PROXIES = 1
    user = make_user("manager")
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    request.user = user

    event = audit_record(action="export", request=request, obj=user, summary="x" * 400)

    assert (event.user, event.actor, event.action) == (user, "manager", "export")
    assert (event.object_type, event.object_id) == ("accounts.user", str(user.pk))
    assert event.address == "203.0.113.7"
    assert len(event.summary) == 255
    assert event.at is not None


def test_background_work_is_recorded_as_the_system_job(make_user):
    user = make_user("trainer")

    with audit_actor("certificate job"):
        on_behalf = audit_record(action="certificate.issue", user=user)
        alone = audit_record(action="certificate.issue")
    after = audit_record(action="certificate.issue")

    assert (on_behalf.actor, on_behalf.user) == ("system: certificate job", user)
    assert (alone.actor, alone.user) == ("system: certificate job", None)
    assert after.actor == "anonymous"


def test_signing_in_and_out_is_recorded(client, make_user):
    user = make_user("trainer")
    user.set_password("a long enough password")
    user.save()

    client.post(
        reverse("wagtailadmin_login"),
        {"username": "trainer", "password": "a long enough password"},
        REMOTE_ADDR="10.0.0.5",
    )
    client.post(reverse("wagtailadmin_logout"), REMOTE_ADDR="10.0.0.5")

    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.action for e in events] == ["login.success", "logout"]
    assert all(e.user == user and e.address == "10.0.0.5" for e in events)


def test_a_failed_sign_in_for_an_unknown_name_names_no_one(client):
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "020 5551 2345", "password": "guess"},
    )

    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.actor) == (
        "login.failure",
        None,
        "anonymous",
    )
    assert "5551" not in event.summary + event.object_id


def test_certificate_issue_revoke_and_reissue_are_recorded(graduates, make_user):  # noqa: F811
    _session, (first, second, _absent) = graduates
    manager = make_user("manager")
    trainer = make_user("trainer2")

    one, _ = certificate_issue(enrolment=first, by=trainer)
    two, _ = certificate_issue(enrolment=second, by=trainer)
    certificate_revoke(certificate=one, reason="Issued by mistake", by=manager)
    certificate_reissue(certificate=two, by=trainer)

    events = list(
        AuditEvent.objects.filter(action__startswith="certificate.")
        .order_by("pk")
        .values_list("action", "actor", "object_id", "summary")
    )
    three = Certificate.objects.get(replaces=two)
    assert events == [
        ("certificate.issue", "trainer2", str(one.pk), one.number),
        ("certificate.issue", "trainer2", str(two.pk), two.number),
        ("certificate.revoke", "manager", str(one.pk), one.number),
        ("certificate.reissue", "trainer2", str(two.pk), two.number),
        ("certificate.issue", "trainer2", str(three.pk), three.number),
    ]
    # The reason may name people; it stays in the certificate, not in the trail.
    assert not AuditEvent.objects.filter(summary__contains="mistake").exists()


def test_certificates_issued_by_the_background_job_say_so(
    graduates,  # noqa: F811
    make_user,
    django_capture_on_commit_callbacks,
):
    session, _enrolments = graduates
    trainer = make_user("trainer2")

    with django_capture_on_commit_callbacks(execute=True):
        certificate_job_start(session=session, by=trainer)

    issued = AuditEvent.objects.filter(action="certificate.issue")
    assert issued.count() == 2
    assert set(issued.values_list("actor", "user")) == {
        ("system: certificate job", trainer.pk)
    }


def test_approvals_are_recorded(make_user):
    from periods.services import period_approve, period_unapprove

    manager = make_user("manager")
    approval = period_approve(
        district=DistrictFactory(), kind="month", year=2022, number=6, by=manager
    )
    period_unapprove(approval=approval, reason="Late meetings", by=manager)

    assert list(
        AuditEvent.objects.order_by("pk").values_list("action", "object_id")
    ) == [("approve", str(approval.pk)), ("unapprove", str(approval.pk))]
