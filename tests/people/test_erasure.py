"""Erasure leaves the name nowhere: no stored file, no table, no history.

Issue 14: erasure deleted the person's own certificate PDF but left their name in the
session's combined PDF and ZIP (``certificate-jobs/<code>-certificates.{pdf,zip}``,
guessable names) and, with field history, in every logged change.
"""

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from wagtail.models import ModelLogEntry

from certificates.models import CertificateJob
from certificates.services import certificate_job_run
from people.models import Gender
from people.privacy import person_erase
from people.services import person_update
from tests.certificates.conftest import complete
from tests.factories import (
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    record_meeting,
)
from trainings.services import session_update

pytestmark = pytest.mark.django_db

LAO_NAME = "ນາງ ວັນນະສອນ ຄຳມະນີວົງ"
LATIN_NAME = "Vannasone Khammanivong"
PHONE = "020 9876 5432"
NAMES = (LAO_NAME, LATIN_NAME, "Vannasone", PHONE)


def file_texts(root: Path):
    """(path, text) of every stored file: ZIPs opened, PDFs through pdftotext."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        yield from _texts(str(path.relative_to(root)), path.read_bytes())


def _texts(name: str, content: bytes):
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.namelist():
                yield from _texts(f"{name}:{member}", archive.read(member))
        return
    if name.endswith(".pdf"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
        ).stdout
        yield name, text.decode("utf-8", "replace")
        return
    yield name, content.decode("utf-8", "replace")


def database_texts():
    """(table.column, text) of every text column of every table."""
    for model in apps.get_models(include_auto_created=True):
        columns = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        for field in columns:
            for value in model._base_manager.values_list(field.attname, flat=True):
                if value is None:
                    continue
                if not isinstance(value, str):
                    value = json.dumps(value, ensure_ascii=False)
                yield f"{model._meta.db_table}.{field.column}", value


def places_naming(texts) -> list[str]:
    return sorted({where for where, text in texts if any(n in text for n in NAMES)})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def issued(media, make_user, admin_user):
    """Vannasone completed a session whose certificates were issued in one job, with
    the print PDF and ZIP; she also leads another session and a village meeting, and
    her record and enrolment were edited."""
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)
    person = PersonFactory(
        full_name=LAO_NAME, latin_name=LATIN_NAME, phone=PHONE, gender=Gender.WOMAN
    )
    complete(session, [person, PersonFactory(full_name="ທ້າວ ສົມພອນ")])
    job = CertificateJob.objects.create(session=session, requested_by=trainer)
    certificate_job_run(job=job)
    person_update(person=person, position="Nurse", by=admin_user)
    led = SessionFactory(created_by=trainer)
    session_update(session=led, led_by=[person])
    enrolment = person.enrolments.get()
    ModelLogEntry.objects.log_action(enrolment, "wagtail.edit", user=admin_user)
    record_meeting(PromoterFactory(person=person))
    job.refresh_from_db()
    return person, job


def test_the_test_finds_the_name_before_erasure(issued, media):
    _person, job = issued

    in_files = places_naming(file_texts(media))
    in_tables = places_naming(database_texts())

    assert any(place.endswith(".zip:" + place.rsplit(":", 1)[-1]) for place in in_files)
    assert job.combined_pdf.name in {place.split(":")[0] for place in in_files}
    assert "auditlog_logentry.changes" in in_tables


def test_erasure_leaves_the_name_in_no_file_and_no_table(
    issued, media, admin_user, django_capture_on_commit_callbacks
):
    person, job = issued

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=person, by=admin_user, reason="Her request")

    assert places_naming(file_texts(media)) == []
    assert places_naming(database_texts()) == []
    job.refresh_from_db()
    assert job.combined_pdf and job.archive  # rebuilt for the other participant


def test_combined_files_have_unguessable_names(issued):
    _person, job = issued

    for file in (job.combined_pdf, job.archive):
        stem = Path(file.name).stem
        assert job.session.code not in file.name
        assert len(stem) >= 24
