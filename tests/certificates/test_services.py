import datetime
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from audit.models import AuditEvent
from certificates.models import Certificate, CertificateJob
from certificates.services import (
    certificate_issue,
    certificate_issue_date_change,
    certificate_issue_one,
    certificate_job_run,
    certificate_pdf,
    certificate_reissue,
    certificate_revoke,
    issue_date_for,
    session_certificate_eligibility,
)
from people.services import person_update
from periods.services import period_approve
from tests.factories import CourseFactory, SessionFactory
from trainings.models import Course

pytestmark = pytest.mark.django_db


def test_only_people_who_completed_are_eligible_and_others_get_a_reason(graduates):
    session, _enrolments = graduates

    eligibility = {
        e.enrolment.person.full_name: e
        for e in session_certificate_eligibility(session=session)
    }

    assert eligibility["ນາງ ບົວພັນ ສີສຸກ"].eligible
    assert not eligibility["ທ້າວ ສົມພອນ"].eligible
    assert "Attended 0 of 3 days" in eligibility["ທ້າວ ສົມພອນ"].reason


def test_numbers_are_sequential_per_register_and_codes_random(graduates, admin_user):
    session, (first, second, _absent) = graduates

    one, created = certificate_issue(enrolment=first, by=admin_user)
    two, _ = certificate_issue(enrolment=second, by=admin_user)

    assert created
    assert (one.number, two.number) == ("LSSO-TOT-2022-0001", "LSSO-TOT-2022-0002")
    # token_urlsafe(18): 144 random bits, 24 URL-safe characters, not from the id.
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", one.code)
    assert one.code != two.code
    assert one.holder_name == "ນາງ ບົວພັນ ສີສຸກ"


def test_registers_are_separate_per_course_kind(graduates):
    _session, (first, _second, _absent) = graduates
    short = SessionFactory(course=CourseFactory(kind=Course.Kind.SHORT_COURSE))
    from tests.certificates.conftest import complete
    from tests.factories import PersonFactory

    (other,) = complete(short, [PersonFactory()])

    assert certificate_issue(enrolment=first)[0].number == "LSSO-TOT-2022-0001"
    assert certificate_issue(enrolment=other)[0].number == "LSSO-SC-2022-0001"


def test_issuing_many_at_once_is_issuing_each(graduates, monkeypatch):
    """``certificates_issue`` (the bulk job's): in the enrolments' order, an
    enrolment named twice or already holding one gets the same certificate, the
    periods are checked once a session and the facts refreshed once."""
    from certificates import services

    _session, (first, second, _absent) = graduates
    held, _ = certificate_issue(enrolment=second)
    checks, announced = [], []
    ensure_open = services._ensure_open
    monkeypatch.setattr(
        services, "_ensure_open", lambda s: (checks.append(s.pk), ensure_open(s))
    )
    monkeypatch.setattr(
        services, "training_facts_announce", lambda **kw: announced.append(kw)
    )

    results = services.certificates_issue(enrolments=[first, second, first])

    [(one, created), (two, again), (three, twice)] = results
    assert (created, again, twice) == (True, False, False)
    assert two == held and three == one
    assert one.number == "LSSO-TOT-2022-0002"
    assert Certificate.objects.filter(status=Certificate.Status.VALID).count() == 2
    assert checks == [first.session_id]
    assert announced == [{"people": [first.person_id]}]


def test_issuing_again_changes_nothing(graduates):
    _session, (first, _second, _absent) = graduates
    issued, _ = certificate_issue(enrolment=first)

    again, created = certificate_issue(enrolment=first)

    assert (again, created) == (issued, False)
    assert Certificate.objects.count() == 1


def test_someone_who_did_not_complete_gets_no_certificate(graduates):
    _session, (_first, _second, absent) = graduates
    with pytest.raises(ValidationError, match="has not completed"):
        certificate_issue(enrolment=absent)
    assert not Certificate.objects.exists()


def test_revoke_needs_a_reason_and_is_logged(graduates, admin_user):
    _session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue(enrolment=first, by=admin_user)

    with pytest.raises(ValidationError, match="Say why"):
        certificate_revoke(certificate=certificate, reason="  ", by=admin_user)
    certificate_revoke(
        certificate=certificate, reason="Issued by mistake", by=admin_user
    )

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == admin_user and certificate.revoked_at
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(certificate.pk))
        .order_by("timestamp")
        .values_list("action", "user__username")
    )
    assert actions == [
        ("suksa.certificate.issue", "admin"),
        ("suksa.certificate.revoke", "admin"),
    ]


def test_reissue_after_a_corrected_name(graduates, admin_user):
    _session, (first, _second, _absent) = graduates
    old, _ = certificate_issue(enrolment=first, by=admin_user)
    person_update(person=first.person, full_name="ນາງ ບົວພັນ ສີສຸກສະຫວັດ")

    new = certificate_reissue(certificate=old, by=admin_user)

    old.refresh_from_db()
    assert old.status == Certificate.Status.REPLACED
    assert new.replaces == old and new.status == Certificate.Status.VALID
    assert new.number != old.number and new.code != old.code
    assert new.holder_name == "ນາງ ບົວພັນ ສີສຸກສະຫວັດ"
    assert certificate_issue(enrolment=first)[0] == new
    assert ModelLogEntry.objects.filter(action="suksa.certificate.replace").exists()


def test_a_revoked_certificate_cannot_be_reissued(graduates, admin_user):
    _session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue(enrolment=first)
    certificate_revoke(certificate=certificate, reason="Fraud", by=admin_user)

    with pytest.raises(ValidationError, match="Only a valid certificate"):
        certificate_reissue(certificate=certificate, by=admin_user)


# A bulk issue writes two files; each certificate's own on its first download ------


def _job_done(session) -> CertificateJob:
    return certificate_job_run(job=CertificateJob.objects.create(session=session))


def _entries(job) -> dict[str, zipfile.ZipInfo]:
    with job.archive.open("rb") as handle:
        return {i.filename: i for i in zipfile.ZipFile(handle).infolist()}


def _entry_bytes(job, name) -> bytes:
    with job.archive.open("rb") as handle:
        return zipfile.ZipFile(handle).read(name)


def test_a_bulk_issue_stores_the_print_pdf_and_zip_not_one_file_each(graduates):
    session, _enrolments = graduates

    job = _job_done(session)

    certificates = list(Certificate.objects.all())
    assert job.state == CertificateJob.State.DONE and job.done == 2
    assert job.combined_pdf and job.archive
    assert [c.pdf.name for c in certificates] == ["", ""]
    entries = _entries(job)
    assert len(entries) == 2
    assert all(re.fullmatch(rb"[0-9a-f]{64}", e.comment) for e in entries.values())


def test_the_first_download_is_the_zip_entry_then_stored(graduates):
    session, _enrolments = graduates
    job = _job_done(session)
    certificate = Certificate.objects.order_by("number").first()
    name = next(n for n in _entries(job) if n.startswith(certificate.number))

    content = certificate_pdf(certificate=certificate)

    assert content == _entry_bytes(job, name)
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.pdf_fingerprint
    with certificate.pdf.open("rb") as handle:
        assert handle.read() == content
    assert certificate_pdf(certificate=certificate) == content


def test_a_certificate_changed_since_the_job_is_rendered_anew(graduates):
    session, _enrolments = graduates
    job = _job_done(session)
    certificate = Certificate.objects.order_by("number").first()
    name = next(n for n in _entries(job) if n.startswith(certificate.number))
    session.course.title_en = "Basic social protection (ToT)"
    session.course.save()

    content = certificate_pdf(certificate=Certificate.objects.get(pk=certificate.pk))

    assert content.startswith(b"%PDF") and content != _entry_bytes(job, name)
    assert b"Basic social protection (ToT)" not in _entry_bytes(job, name)
    certificate.refresh_from_db()
    assert certificate.pdf_fingerprint != _entries(job)[name].comment.decode()


def test_a_bulk_issue_deletes_a_stored_copy_that_is_outdated(graduates):
    session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue_one(enrolment=first)
    certificate.refresh_from_db()
    storage, old_name = certificate.pdf.storage, certificate.pdf.name
    session.course.title_en = "Basic social protection (ToT)"
    session.course.save()

    _job_done(session)

    certificate.refresh_from_db()
    assert not storage.exists(old_name)
    assert (certificate.pdf.name, certificate.pdf_fingerprint) == ("", "")


def test_a_stored_copy_that_is_current_is_kept_by_a_bulk_issue(graduates):
    session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue_one(enrolment=first)
    certificate.refresh_from_db()
    kept = (certificate.pdf.name, certificate.pdf_fingerprint)

    job = _job_done(session)

    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.pdf_fingerprint) == kept
    assert certificate.pdf.storage.exists(kept[0])
    assert io.BytesIO(certificate_pdf(certificate=certificate)).read(4) == b"%PDF"
    assert len(_entries(job)) == 2


def test_a_missing_zip_falls_back_to_rendering(graduates):
    session, _enrolments = graduates
    job = _job_done(session)
    job.archive.storage.delete(job.archive.name)
    certificate = Certificate.objects.order_by("number").first()

    content = certificate_pdf(certificate=certificate)

    assert content.startswith(b"%PDF")
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.pdf_fingerprint


# Issue dates ---------------------------------------------------------------------


def test_a_certificate_for_a_past_session_is_dated_its_last_day(graduates):
    session, (first, _second, _absent) = graduates

    certificate, _ = certificate_issue(enrolment=first)

    assert session.ends_on < timezone.localdate()
    assert certificate.issued_on == session.ends_on
    assert certificate.date_printed == session.ends_on


def test_a_certificate_for_a_session_ending_today_or_later_is_dated_today():
    today = timezone.localdate()
    session = SessionFactory(
        starts_on=today - datetime.timedelta(days=1), ends_on=today
    )

    assert issue_date_for(session) == today
    session.ends_on = today + datetime.timedelta(days=3)
    assert issue_date_for(session) == today


def test_a_reissue_keeps_the_original_issue_date(graduates, admin_user):
    _session, (first, _second, _absent) = graduates
    original, _ = certificate_issue(enrolment=first)
    Certificate.objects.filter(pk=original.pk).update(
        issued_on=datetime.date(2022, 7, 1)
    )
    original.refresh_from_db()

    replacement = certificate_reissue(certificate=original, by=admin_user)

    assert replacement.issued_on == datetime.date(2022, 7, 1)


def test_changing_the_issue_date_is_audited_and_reprints(graduates, admin_user):
    session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue(enrolment=first)
    Certificate.objects.filter(pk=certificate.pk).update(
        printed_on=datetime.date(2026, 12, 1)
    )

    changed = certificate_issue_date_change(
        certificate=certificate,
        issued_on=datetime.date(2022, 6, 20),
        reason="Certificates were handed out on 20 June",
        by=admin_user,
    )

    assert changed.issued_on == datetime.date(2022, 6, 20)
    assert changed.printed_on is None
    entry = ModelLogEntry.objects.get(action="suksa.certificate.date")
    assert entry.data["from"] == session.ends_on.isoformat()
    assert entry.data["to"] == "2022-06-20"
    assert entry.data["reason"] == "Certificates were handed out on 20 June"
    event = AuditEvent.objects.get(action="certificate.date")
    assert event.summary == f"{changed.number}: 2022-06-16 → 2022-06-20"


@pytest.mark.parametrize(
    ("day", "reason", "message"),
    [
        (datetime.date(2022, 6, 20), "  ", "Say why the issue date changes."),
        (datetime.date(2022, 6, 1), "Typo", "before its session starts (14/06/2022)"),
        (datetime.date(2099, 1, 1), "Typo", "cannot be in the future"),
    ],
)
def test_an_issue_date_change_is_refused_with_a_reason(
    graduates, admin_user, day, reason, message
):
    _session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue(enrolment=first)

    with pytest.raises(ValidationError, match=re.escape(message)):
        certificate_issue_date_change(
            certificate=certificate, issued_on=day, reason=reason, by=admin_user
        )
    certificate.refresh_from_db()
    assert certificate.issued_on == datetime.date(2022, 6, 16)


def test_only_an_administrator_changes_an_issue_date(graduates, make_user):
    _session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue(enrolment=first)

    with pytest.raises(ValidationError, match="Only an administrator"):
        certificate_issue_date_change(
            certificate=certificate,
            issued_on=datetime.date(2022, 6, 20),
            reason="Handed out later",
            by=make_user("manager"),
        )


def test_an_issue_date_cannot_move_into_an_approved_period(graduates, admin_user):
    session, (first, _second, _absent) = graduates
    certificate, _ = certificate_issue(enrolment=first)
    period_approve(
        district=session.district, kind="month", year=2022, number=7, by=admin_user
    )

    with pytest.raises(ValidationError, match="approved"):
        certificate_issue_date_change(
            certificate=certificate,
            issued_on=datetime.date(2022, 7, 2),
            reason="Handed out in July",
            by=admin_user,
        )
