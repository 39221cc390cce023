"""Reports downloads prepared in the background (issue 19, item 8): the same file as
the direct download, for its owner only, with a progress page, deleted once expired."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from reports.jobs import export_jobs_expire
from reports.models import ExportJob
from reports.tasks import export_jobs_expire_hourly

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/"
START = REPORT + "downloads/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def prepared(client, download: str, query: str, capture):
    """Start the job as the Reports page's form does; the job and its status."""
    with capture(execute=True):
        response = client.post(START, {"download": download, "query": query})
    assert response.status_code == 302, response.content[:300]
    job = ExportJob.objects.latest("created_at")
    assert response["Location"] == f"{START}{job.pk}/"
    status = client.get(f"{START}{job.pk}/status/").json()
    return job, status


def downloaded(client, status) -> bytes:
    response = client.get(status["file_url"])
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "download, direct",
    [
        ("report.csv", "export.csv"),
        ("people.csv", "people.csv"),
        ("dhis2.json", "dhis2.json"),
        ("dhis2.csv", "dhis2.csv"),
    ],
)
def test_a_background_download_is_the_direct_one_byte_for_byte(
    client_in_english, story, django_capture_on_commit_callbacks, download, direct
):
    client = client_in_english("manager")
    query = "year=2022"

    job, status = prepared(client, download, query, django_capture_on_commit_callbacks)

    assert status["state"] == "done"
    assert status["progress"] == 100
    direct_response = client.get(f"{REPORT}{direct}?{query}")
    assert downloaded(client, status) == direct_response.content
    file_response = client.get(status["file_url"])
    assert file_response["Content-Type"] == direct_response["Content-Type"]
    assert file_response["Content-Disposition"].split("filename=")[1].strip(
        '"'
    ) == direct_response["Content-Disposition"].split("filename=")[1].strip('"')


@pytest.mark.parametrize(
    "download, direct", [("report.xlsx", "export.xlsx"), ("people.xlsx", "people.xlsx")]
)
def test_a_background_spreadsheet_has_the_direct_ones_rows(
    client_in_english, story, django_capture_on_commit_callbacks, download, direct
):
    client = client_in_english("admin")

    _job, status = prepared(client, download, "", django_capture_on_commit_callbacks)

    direct_rows = xlsx_rows(client.get(REPORT + direct).content)
    assert xlsx_rows(downloaded(client, status)) == direct_rows
    assert len(direct_rows) > 3


def test_a_background_pdf_is_in_the_chosen_language(
    client_in_english, story, django_capture_on_commit_callbacks
):
    client = client_in_english("manager")

    job, status = prepared(
        client, "report.pdf.en", "year=2022", django_capture_on_commit_callbacks
    )

    assert job.query == "year=2022&language=en"
    assert downloaded(client, status).startswith(b"%PDF")
    assert job.__class__.objects.get(pk=job.pk).filename.endswith("-en.pdf")


def test_a_trainers_background_report_is_scoped_as_their_direct_one(
    client_in_english, story, django_capture_on_commit_callbacks
):
    client = client_in_english("trainer")

    _job, status = prepared(
        client, "report.csv", "", django_capture_on_commit_callbacks
    )

    assert downloaded(client, status) == client.get(REPORT + "export.csv").content


def test_who_may_not_have_the_people_list_cannot_prepare_it(
    client_in_english, story, django_capture_on_commit_callbacks
):
    client = client_in_english("trainer")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START, {"download": "people.csv", "query": ""})

    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == "/admin/"
    assert not ExportJob.objects.exists()


def test_a_wrong_dhis2_query_is_refused_before_any_job(
    client_in_english, story, django_capture_on_commit_callbacks
):
    client = client_in_english("manager")

    response = client.post(START, {"download": "dhis2.json", "query": "colour=red"})

    assert response.status_code == 302
    assert not ExportJob.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Unknown query parameters: colour" in page


def test_another_user_cannot_follow_or_download_the_job(
    client_in_english, story, make_user, django_capture_on_commit_callbacks
):
    owner = client_in_english("manager")
    job, status = prepared(
        owner, "people.csv", "year=2022", django_capture_on_commit_callbacks
    )
    other = Client()
    # Even an administrator: the file was made for its owner's scope.
    other.force_login(make_user("other-admin", role=roles.ADMINISTRATORS))

    for url in (
        f"{START}{job.pk}/",
        f"{START}{job.pk}/status/",
        status["file_url"],
    ):
        assert other.get(url).status_code == 404
        assert owner.get(url).status_code == 200


def make_job(user, **fields) -> ExportJob:
    now = timezone.now()
    values = {
        "kind": ExportJob.Kind.REPORT,
        "file_format": "csv",
        "query": "year=2022",
        "language": "en",
        "expires_at": now + datetime.timedelta(hours=24),
    }
    values.update(fields)
    return ExportJob.objects.create(requested_by=user, **values)


@pytest.mark.parametrize(
    "state, progress, label, message",
    [
        ("pending", 0, "Waiting", "Waiting for the background worker."),
        ("running", 60, "Running", "The file is being made."),
        ("failed", 10, "Failed", "The file could not be made."),
    ],
)
def test_the_progress_page_shows_the_jobs_state(
    client_in_english, story, state, progress, label, message
):
    from django.contrib.auth import get_user_model

    client = client_in_english("manager")
    job = make_job(
        get_user_model().objects.get(username="manager"),
        state=state,
        progress=progress,
        error="ValueError: secret detail",
    )

    page = client.get(f"{START}{job.pk}/").content.decode()
    status = client.get(f"{START}{job.pk}/status/").json()

    assert label in page
    assert message in page
    assert f'value="{progress}"' in page
    assert "secret detail" not in page
    assert 'data-job-link="file_url" href=""' in page
    assert status["state"] == state
    assert status["progress"] == progress
    assert status["file_url"] is None
    assert client.get(f"{START}{job.pk}/file/").status_code == 404


def test_a_done_job_offers_its_file_until_it_expires(
    client_in_english, story, django_capture_on_commit_callbacks, media
):
    client = client_in_english("manager")
    job, status = prepared(
        client, "report.csv", "year=2022", django_capture_on_commit_callbacks
    )
    page = client.get(f"{START}{job.pk}/").content.decode()
    assert "Download ready" in page
    assert f'href="{status["file_url"]}"' in page
    stored = media / job.__class__.objects.get(pk=job.pk).file.name
    assert stored.exists()

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())

    assert client.get(status["file_url"]).status_code == 404
    assert (
        "This download has expired" in client.get(f"{START}{job.pk}/").content.decode()
    )
    assert export_jobs_expire_hourly.delay().get() == 1
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not stored.exists()
    assert export_jobs_expire() == 0


def test_a_job_whose_owner_lost_the_role_gives_nothing(
    client_in_english, story, django_capture_on_commit_callbacks
):
    client = client_in_english("manager")
    job, status = prepared(
        client, "people.csv", "year=2022", django_capture_on_commit_callbacks
    )
    from django.contrib.auth.models import Group

    from access import policy

    user = job.requested_by
    # Still reads reports, no longer the lists of people.
    user.groups.set([Group.objects.get(name=roles.TRAINERS)])
    policy.forget_roles(user)

    response = client.get(status["file_url"])

    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == "/admin/"


def test_the_report_page_offers_to_prepare_in_the_background(client_in_english, story):
    manager = client_in_english("manager").get(REPORT, {"year": "2022"})
    page = manager.content.decode()

    assert 'data-testid="background-download"' in page
    assert 'value="people.csv"' in page
    assert 'name="query" value="date_from=2022-01-01&amp;date_to=2022-12-31' in page
    trainer = client_in_english("trainer").get(REPORT).content.decode()
    assert 'value="report.xlsx"' in trainer
    assert 'value="people.csv"' not in trainer


def test_an_erasure_deletes_the_lists_of_people_prepared(
    client_in_english, story, django_capture_on_commit_callbacks, media
):
    from people.privacy import person_erase

    client = client_in_english("manager")
    people_job, _status = prepared(
        client, "people.csv", "year=2022", django_capture_on_commit_callbacks
    )
    report_job, _status = prepared(
        client, "report.csv", "year=2022", django_capture_on_commit_callbacks
    )
    stored = media / ExportJob.objects.get(pk=people_job.pk).file.name
    assert "Mali" in stored.read_text(encoding="utf-8-sig")

    person_erase(person=story.people["mali"])

    assert not ExportJob.objects.filter(pk=people_job.pk).exists()
    assert not stored.exists()
    assert ExportJob.objects.filter(pk=report_job.pk).exists()
