"""A job run by a real worker process names, in the field history, the user who
started it (issue 13, item 5)."""

from auditlog.models import LogEntry

from certificates.models import Certificate, CertificateJob
from certificates.tasks import run_certificate_job
from tests.certificates.conftest import complete
from tests.factories import PersonFactory, SessionFactory, UserFactory


def test_a_certificate_job_in_a_worker_names_who_started_it(worker_queue):
    trainer = UserFactory(username="trainer-history")
    session = SessionFactory(created_by=trainer)
    complete(session, [PersonFactory()])
    job = CertificateJob.objects.create(session=session, requested_by=trainer)

    run_certificate_job.apply_async((job.pk,), queue=worker_queue).get(timeout=120)

    certificate = Certificate.objects.get(enrolment__session=session)
    created = LogEntry.objects.get_for_object(certificate).get(
        action=LogEntry.Action.CREATE
    )
    assert created.actor_id == trainer.pk
    assert created.additional_data == {"job": "certificate job"}
