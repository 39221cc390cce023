"""Issuing, revoking and re-issuing certificates; every step is in the audit log."""

import io
import logging
import re
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from access.policy import changes_certificate_dates
from audit.services import audit_record
from common.events import training_facts_announce
from periods.services import period_ensure_open
from trainings.models import Enrolment, Session
from trainings.services import sequence_next

from .codes import code_new
from .models import Certificate, CertificateJob
from .rendering import (
    certificate_context,
    fingerprint,
    render_certificates,
    template_for,
)

logger = logging.getLogger(__name__)

FILE_STEM_BYTES = 18  # stored files' names: 144 bits, nobody guesses them


@dataclass(frozen=True)
class Eligibility:
    enrolment: Enrolment
    eligible: bool
    reason: str


def session_certificate_eligibility(*, session: Session) -> list[Eligibility]:
    """Every participant, and whether they may get a certificate (only completers)."""
    results = []
    enrolments = session.enrolments.filter(role=Enrolment.Role.PARTICIPANT)
    for enrolment in enrolments.select_related("person"):
        if enrolment.status == Enrolment.Status.COMPLETED:
            results.append(Eligibility(enrolment, True, ""))
        elif enrolment.status == Enrolment.Status.ENROLLED:
            results.append(
                Eligibility(
                    enrolment, False, _("The session has not been completed yet.")
                )
            )
        else:
            reason = enrolment.completion_reason or enrolment.get_status_display()
            results.append(
                Eligibility(
                    enrolment,
                    False,
                    _("Did not complete: %(reason)s") % {"reason": reason},
                )
            )
    return results


def _ensure_open(session: Session) -> None:
    """A certificate counts in its session's district, by the session's dates and
    by the day it is issued or revoked: none of those periods may be approved."""
    period_ensure_open(
        district=session.district_id, day=session.starts_on, until=session.ends_on
    )
    period_ensure_open(district=session.district_id, day=timezone.localdate())


def _number_for(enrolment: Enrolment) -> str:
    session = enrolment.session
    prefix = settings.SUKSA_CERTIFICATE_PREFIXES[session.course.kind]
    year = session.ends_on.year
    return f"{prefix}-{year}-{sequence_next(key=f'certificate:{prefix}-{year}'):04d}"


def issue_date_for(session: Session) -> date:
    """The date a new certificate counts from: today, or the session's last day when
    the session ended before today (a certificate for a past training is dated when
    the training was completed, not when the record was typed in)."""
    return min(session.ends_on, timezone.localdate())


def _new_certificate(
    enrolment: Enrolment, by, replaces=None, announce: bool = True
) -> Certificate:
    # A re-issue corrects what the certificate says, not when it was earned.
    issued_on = replaces.issued_on if replaces else issue_date_for(enrolment.session)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number=_number_for(enrolment),
        code=code_new(),
        issued_on=issued_on,
        issued_by=by,
        holder_name=enrolment.person.full_name,
        holder_latin_name=enrolment.person.latin_name,
        replaces=replaces,
    )
    if announce:  # else the caller announces, in the same transaction
        training_facts_announce(people=[enrolment.person_id])
    log(
        certificate,
        "suksa.certificate.issue",
        user=by,
        data={"number": certificate.number, "replaces": replaces and replaces.number},
    )
    audit_record(
        action="certificate.issue", user=by, obj=certificate, summary=certificate.number
    )
    return certificate


def certificate_issue(*, enrolment: Enrolment, by=None) -> tuple[Certificate, bool]:
    """The holder's valid certificate, issued now if they have none (idempotent)."""
    return certificates_issue(enrolments=[enrolment], by=by)[0]


@transaction.atomic
def certificates_issue(
    *, enrolments: list[Enrolment], by=None
) -> list[tuple[Certificate, bool]]:
    """``certificate_issue`` for each of ``enrolments``, in one transaction: each
    session's periods are checked once and the new holders' facts refreshed once
    (a bulk job issues hundreds)."""
    open_sessions: set[int] = set()
    results, issued_to = [], []
    # The locked, current rows decide: never a stale status, never two at once
    # (locked in the keys' order, so two batches wait rather than deadlock).
    keys = [one.pk for one in enrolments]
    locked = {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.select_for_update(of=("self",))
        .select_related("person", "session__course")
        .filter(pk__in=keys)
        .order_by("pk")
    }
    # At most one valid certificate an enrolment (a unique constraint).
    valid = {
        certificate.enrolment_id: certificate
        for certificate in Certificate.objects.filter(
            enrolment__in=keys, status=Certificate.Status.VALID
        )
    }
    for key in keys:
        enrolment = locked.get(key)
        if enrolment is None:
            raise Enrolment.DoesNotExist("the enrolment no longer exists")
        existing = valid.get(key)
        if existing is not None:
            results.append((existing, False))
            continue
        if enrolment.session_id not in open_sessions:
            _ensure_open(enrolment.session)
            open_sessions.add(enrolment.session_id)
        if enrolment.role != Enrolment.Role.PARTICIPANT or (
            enrolment.status != Enrolment.Status.COMPLETED
        ):
            raise ValidationError(
                _("%(person)s has not completed this session: no certificate.")
                % {"person": enrolment.person}
            )
        valid[key] = _new_certificate(enrolment, by, announce=False)
        results.append((valid[key], True))
        issued_to.append(enrolment.person_id)
    training_facts_announce(people=issued_to)
    return results


@transaction.atomic
def certificates_holder_erase(*, person, by, reason: str) -> int:
    """Revoke a person's valid certificates and remove their name from every one.

    Called when the person's data is erased: verification then answers "revoked —
    holder's data erased" and the stored PDFs, which carry the name, are deleted.
    """
    certificates = list(
        Certificate.objects.select_for_update().filter(enrolment__person=person)
    )
    now = timezone.now()
    for certificate in certificates:
        if certificate.status == Certificate.Status.VALID:
            certificate.status = Certificate.Status.REVOKED
            certificate.revoked_at = now
            certificate.revoked_by = by
            certificate.revoked_reason = reason[:300]
            log(
                certificate,
                "suksa.certificate.revoke",
                user=by,
                data={"reason": reason},
            )
            audit_record(action="certificate.revoke", user=by, obj=certificate)
        if certificate.pdf:
            certificate.pdf.delete(save=False)
        certificate.holder_name = ""
        certificate.holder_latin_name = ""
        certificate.pdf_fingerprint = ""
        certificate.save()
    training_facts_announce(people=[person.pk] if certificates else [])
    return len(certificates)


def _facts_announce(certificate: Certificate) -> None:
    """The reports copy a certificate's issue date and revocation: say it changed."""
    holder = Enrolment.objects.filter(pk=certificate.enrolment_id)
    training_facts_announce(people=holder.values_list("person_id", flat=True))


def _locked(certificate: Certificate) -> Certificate:
    """The current row, locked: two revocations or re-issues never both pass."""
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


def certificate_issue_one(*, enrolment: Enrolment, by=None) -> tuple[Certificate, bool]:
    """Issue one person's certificate and store its PDF right away."""
    certificate, created = certificate_issue(enrolment=enrolment, by=by)
    if created:
        certificates_render(certificates=[certificate])
    return certificate, created


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by) -> Certificate:
    certificate = _locked(certificate)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Say why the certificate is revoked."))
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be revoked."))
    _ensure_open(certificate.enrolment.session)
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoked_reason = reason[:300]
    certificate.save(
        update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"]
    )
    _facts_announce(certificate)
    log(certificate, "suksa.certificate.revoke", user=by, data={"reason": reason})
    audit_record(
        action="certificate.revoke",
        user=by,
        obj=certificate,
        summary=certificate.number,
    )
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by) -> Certificate:
    """After a correction (a misspelt name): new number and code; old one replaced."""
    certificate = _locked(certificate)
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be re-issued."))
    _ensure_open(certificate.enrolment.session)
    certificate.status = Certificate.Status.REPLACED
    certificate.save(update_fields=["status"])
    log(certificate, "suksa.certificate.replace", user=by)
    audit_record(
        action="certificate.reissue",
        user=by,
        obj=certificate,
        summary=certificate.number,
    )
    enrolment = Enrolment.objects.select_related("person").get(
        pk=certificate.enrolment_id
    )
    return _new_certificate(enrolment, by, replaces=certificate)


@transaction.atomic
def certificate_issue_date_change(
    *, certificate: Certificate, issued_on: date, reason: str, by
) -> Certificate:
    """Correct the date a certificate counts from (administrators only, as
    ``access.policy.changes_certificate_dates`` says). Audited with the old and new
    date and the reason; the stored PDF's fingerprint no longer matches, so the next
    download prints the new date."""
    if not changes_certificate_dates(by):
        raise ValidationError(_("Only an administrator may change an issue date."))
    certificate = _locked(certificate)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Say why the issue date changes."))
    session = Session.objects.get(pk=certificate.enrolment.session_id)
    if issued_on < session.starts_on:
        raise ValidationError(
            _("A certificate cannot be issued before its session starts (%(day)s).")
            % {"day": f"{session.starts_on:%d/%m/%Y}"}
        )
    if issued_on > timezone.localdate():
        raise ValidationError(_("The issue date cannot be in the future."))
    previous = certificate.issued_on
    if issued_on == previous:
        return certificate
    for day in (previous, issued_on):
        period_ensure_open(district=session.district_id, day=day)
    certificate.issued_on = issued_on
    certificate.printed_on = None
    certificate.save(update_fields=["issued_on", "printed_on"])
    _facts_announce(certificate)
    change = {"from": previous.isoformat(), "to": issued_on.isoformat()}
    log(
        certificate,
        "suksa.certificate.date",
        user=by,
        data={**change, "reason": reason},
    )
    audit_record(
        action="certificate.date",
        user=by,
        obj=certificate,
        summary=f"{certificate.number}: {change['from']} → {change['to']}",
    )
    return certificate


def _render_items(certificates: list[Certificate]) -> list[tuple]:
    items = []
    for certificate in certificates:
        template = template_for(certificate.enrolment.session.course)
        items.append(
            (certificate, template, certificate_context(certificate, template))
        )
    return items


def _pdf_store(certificate: Certificate, content: bytes, stamp: str) -> None:
    if certificate.pdf:
        certificate.pdf.delete(save=False)  # an outdated copy of personal data
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(content), save=False)
    certificate.pdf_fingerprint = stamp
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=certificate.pdf.name, pdf_fingerprint=stamp
    )


def certificates_render(
    *, certificates: list[Certificate], force: bool = False
) -> bytes:
    """Store each certificate's PDF if its data changed; return all as one PDF."""
    items = _render_items(certificates)
    combined, singles = render_certificates(items)
    for (certificate, _template, context), content in zip(items, singles, strict=True):
        stamp = fingerprint(context)
        if force or stamp != certificate.pdf_fingerprint or not certificate.pdf:
            _pdf_store(certificate, content, stamp)
    return combined


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """The stored PDF; if it is missing or its data changed, the certificate's page
    from its session's bulk issue (split out once, then stored), or rendered anew."""
    template = template_for(certificate.enrolment.session.course)
    stamp = fingerprint(certificate_context(certificate, template))
    if certificate.pdf and certificate.pdf_fingerprint == stamp:
        with certificate.pdf.open("rb") as handle:
            return handle.read()
    content = _page_from_job(certificate, stamp)
    if content is None:
        certificates_render(certificates=[certificate])
        with certificate.pdf.open("rb") as handle:
            return handle.read()
    _pdf_store(certificate, content, stamp)
    return content


def _page_from_job(certificate: Certificate, stamp: str) -> bytes | None:
    """The certificate's own PDF from the ZIP of its session's latest bulk issue,
    if that copy says what the certificate says now (same fingerprint)."""
    job = (
        CertificateJob.objects.filter(
            session_id=certificate.enrolment.session_id,
            state=CertificateJob.State.DONE,
        )
        .exclude(archive="")
        .first()
    )
    if job is None:
        return None
    try:
        with job.archive.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            entry = archive.getinfo(zip_entry_name(certificate))
            return archive.read(entry) if entry.comment == stamp.encode() else None
    except KeyError:
        return None  # not in that job (issued after it, or renamed since)
    except (OSError, zipfile.BadZipFile):
        logger.warning("Certificate job %s: ZIP unreadable, rendering instead", job.pk)
        return None


def _certificates_of(session: Session):
    return list(
        Certificate.objects.filter(
            enrolment__session=session, status=Certificate.Status.VALID
        ).select_related(
            "enrolment__session__course",
            "enrolment__session__district__province",
            "enrolment__person",
        )
    )


@transaction.atomic
def certificate_job_start(*, session: Session, by) -> CertificateJob:
    """Queue the bulk issue for a session; the worker starts after this commits."""

    active = CertificateJob.objects.filter(
        session=session,
        state__in=[CertificateJob.State.PENDING, CertificateJob.State.RUNNING],
    ).first()
    if active is not None:  # a second click while the first job runs
        return active
    _ensure_open(session)
    job = CertificateJob.objects.create(session=session, requested_by=by)
    transaction.on_commit(lambda: _job_send(job.pk))
    return job


# Marks a job whose message never reached the broker; the requeue task sends it again.
NOT_SENT = "not sent: job queue unavailable"
# The tasks (certificates/tasks.py) call these services; the services send them by
# name, so neither module imports the other both ways.
RUN_JOB = "suksa.certificates.run_job"
REBUILD_JOB_FILES = "suksa.certificates.rebuild_job_files"


def _task(name: str):
    """A task of certificates/tasks.py (registered by ``CertificatesConfig.ready``)."""
    return current_app.tasks[name]


def _job_send(job_id: int) -> bool:
    """Send the job to the workers; with the broker down, keep it waiting, marked."""
    from kombu.exceptions import OperationalError as BrokerError

    run_certificate_job = _task(RUN_JOB)
    if run_certificate_job.app.conf.task_always_eager:
        run_certificate_job.delay(job_id)  # in-process: its errors are the job's
        return True
    try:
        run_certificate_job.apply_async((job_id,), retry=False)
    except (BrokerError, OSError):
        logger.warning("Certificate job %s: broker unavailable, will resend", job_id)
        CertificateJob.objects.filter(pk=job_id).update(error=NOT_SENT)
        return False
    CertificateJob.objects.filter(pk=job_id, error=NOT_SENT).update(error="")
    return True


def certificate_jobs_requeue() -> int:
    """Send again every waiting job that never reached the broker; safe to repeat
    (a job runs idempotently)."""
    waiting = CertificateJob.objects.filter(
        state=CertificateJob.State.PENDING, error=NOT_SENT
    ).values_list("pk", flat=True)
    return sum(_job_send(job_id) for job_id in list(waiting))


JOB_STEP = 10


def certificate_job_run(*, job: CertificateJob) -> CertificateJob:
    """Issue every eligible certificate, render them, and build the PDF and ZIP."""
    eligible = [
        e.enrolment
        for e in session_certificate_eligibility(session=job.session)
        if e.eligible
    ]
    CertificateJob.objects.filter(pk=job.pk).update(
        state=CertificateJob.State.RUNNING, total=len(eligible)
    )
    # Ten at a time: one transaction, one check of the session's periods and one
    # refresh of the holders' facts each, and the job's progress after each.
    for start in range(0, len(eligible), JOB_STEP):
        chunk = eligible[start : start + JOB_STEP]
        certificates_issue(enrolments=chunk, by=job.requested_by)
        CertificateJob.objects.filter(pk=job.pk).update(done=start + len(chunk))
    job.refresh_from_db()
    job.done = _job_files_build(job)
    job.state = CertificateJob.State.DONE
    job.finished_at = timezone.now()
    job.save()
    return job


def _job_files_build(job: CertificateJob) -> int:
    """(Re)build the job's print PDF and ZIP from the session's valid certificates;
    how many there are.

    The files carry names: they are stored under random names (a session code would
    let anyone guess them) and whatever they replace is deleted."""
    for old in (job.combined_pdf, job.archive):
        if old:
            old.delete(save=False)
    certificates = _certificates_of(job.session)
    if certificates:
        combined, archive = _session_files(certificates)
        stem = secrets.token_urlsafe(FILE_STEM_BYTES)
        job.combined_pdf.save(f"{stem}.pdf", ContentFile(combined), save=False)
        job.archive.save(f"{stem}.zip", ContentFile(archive), save=False)
    return len(certificates)


def _session_files(certificates: list[Certificate]) -> tuple[bytes, bytes]:
    """The print PDF and the ZIP of one PDF each, from one render.

    Two files are written, not one per person: each certificate's own file is taken
    from the ZIP on its first download (certificate_pdf). Each ZIP entry's comment is
    its fingerprint, so a copy whose data has changed since is never served. Stored
    copies that no longer match are deleted (outdated personal data)."""
    items = _render_items(certificates)
    combined, singles = render_certificates(items)
    buffer = io.BytesIO()
    # Stored, not deflated: a PDF's streams are compressed already (deflating them
    # again saved little and cost about as much as issuing the certificates).
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for (certificate, _template, context), content in zip(
            items, singles, strict=True
        ):
            stamp = fingerprint(context)
            entry = zipfile.ZipInfo(
                zip_entry_name(certificate), date_time=time.localtime()[:6]
            )
            entry.comment = stamp.encode()
            archive.writestr(entry, content)
            if certificate.pdf and certificate.pdf_fingerprint != stamp:
                _pdf_forget(certificate)
    return combined, buffer.getvalue()


def _pdf_forget(certificate: Certificate) -> None:
    certificate.pdf.delete(save=False)
    certificate.pdf_fingerprint = ""
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_fingerprint="")


def certificate_jobs_of_person(*, person) -> list[CertificateJob]:
    return list(
        CertificateJob.objects.filter(session__enrolments__person=person).distinct()
    )


@transaction.atomic
def certificate_jobs_forget(*, person) -> list[int]:
    """Delete the print PDFs and ZIPs of every session the person was enrolled in
    (they carry the name); the finished ones are rebuilt without them after commit.
    Returns the ids of the jobs to rebuild."""
    rebuild = []
    for job in certificate_jobs_of_person(person=person):
        for file in (job.combined_pdf, job.archive):
            if file:
                file.delete(save=False)
        job.save(update_fields=["combined_pdf", "archive"])
        if job.state == CertificateJob.State.DONE:
            rebuild.append(job.pk)
    if rebuild:
        transaction.on_commit(lambda: _jobs_rebuild_send(rebuild))
    return rebuild


def _jobs_rebuild_send(job_ids: list[int]) -> None:
    _task(REBUILD_JOB_FILES).delay(job_ids)


def certificate_jobs_rebuild(*, job_ids: list[int]) -> int:
    """Build again the files of these finished jobs (after an erasure)."""
    jobs = CertificateJob.objects.filter(
        pk__in=job_ids, state=CertificateJob.State.DONE
    ).select_related("session")
    for job in jobs:
        _job_files_build(job)
        job.save(update_fields=["combined_pdf", "archive"])
    return len(jobs)


# Characters no file system accepts in a name, or that would make it a path.
UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
HOLDER_NAME_BYTES = 150  # the whole name stays under the common 255-byte limit


def zip_entry_name(certificate: Certificate) -> str:
    """``LSSO-SC-2024-0012 ນາງ ບົວພັນ ສີສຸກ.pdf``: the number, then the holder in the
    letters of the certificate (Lao kept), with nothing a file system refuses."""
    holder = UNSAFE_IN_FILE_NAMES.sub(
        " ", unicodedata.normalize("NFC", certificate.holder_name)
    )
    holder = " ".join(holder.split())
    while len(holder.encode()) > HOLDER_NAME_BYTES:
        holder = holder[:-1]
    holder = holder.strip(" .")
    return (
        f"{certificate.number} {holder}.pdf" if holder else f"{certificate.number}.pdf"
    )
