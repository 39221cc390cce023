"""Bulk-issue 200 certificates end to end, beside a naive path and the floor (the
job and the floor: means of three runs each, in turns).

(a) the project's path: the bulk job (issue, render the session once, build and
    store the print PDF and the ZIP); (b) naive: one WeasyPrint document per
    certificate with the same template, timed on the first NAIVE_SAMPLE; (c) floor:
    one multi-page render of all 200. Also a single certificate's first download
    (its page taken from the job's ZIP and stored) and a later one (from storage).
Goals (issue 20): (a) ≤ 1.3× (c); the first download ≤ 1.5× (c)'s one page.
"""

import datetime
import time

from django.db import transaction
from django.template.loader import render_to_string
from weasyprint import HTML

from certificates.models import Certificate, CertificateJob
from certificates.rendering import TEMPLATE, certificate_context, template_for
from certificates.services import certificate_job_run, certificate_pdf
from common.pdf import BASE_URL, ProjectFilesFetcher
from people.services import person_create
from places.models import District
from trainings.models import Course
from trainings.services import (
    attendance_record_day,
    enrolment_add,
    session_complete,
    session_create,
)

COUNT = 200
NAIVE_SAMPLE = 20  # one document each is slow: its cost per certificate is flat
ROUNDS = 3


def _completed_session():
    course = Course.objects.create(
        title_lo="ການຝຶກອົບຮົມຄູຝຶກ ດ້ານການປົກປ້ອງສັງຄົມຂັ້ນພື້ນຖານ",
        title_en="Training of Trainers on basic social protection",
        kind="tot",
    )
    session = session_create(
        course=course,
        starts_on=datetime.date(2022, 6, 14),
        ends_on=datetime.date(2022, 6, 14),
        district=District.objects.get(code="0101"),
    )
    enrolments = [
        enrolment_add(
            session=session,
            person=person_create(full_name=f"ນາງ ບົວພັນ ສີສຸກ {n}", gender="woman"),
        )[0]
        for n in range(COUNT)
    ]
    attendance_record_day(
        day=session.days.get(), statuses={e.pk: "present" for e in enrolments}
    )
    session_complete(session=session, today=datetime.date(2022, 7, 1))
    return session


def _pages(certificates):
    template = template_for(certificates[0].enrolment.session.course)
    return [
        {**certificate_context(c, template), "logo": "", "signatories": []}
        for c in certificates
    ]


def _project(session) -> tuple[float, list]:
    """The bulk job on a completed session: seconds, and its certificates."""
    job = CertificateJob.objects.create(session=session)
    started = time.perf_counter()
    certificate_job_run(job=job)
    elapsed = time.perf_counter() - started
    certificates = list(
        Certificate.objects.filter(enrolment__session=session).select_related(
            "enrolment__session__course", "enrolment__session__district__province"
        )
    )
    assert len(certificates) == COUNT
    return elapsed, certificates


def _floor(pages) -> float:
    """One multi-page render of these pages: seconds."""
    started = time.perf_counter()
    HTML(
        string=render_to_string(TEMPLATE, {"certificates": pages}),
        base_url=BASE_URL,
        url_fetcher=ProjectFilesFetcher(),
    ).write_pdf(full_fonts=True)
    return time.perf_counter() - started


def main() -> None:
    with transaction.atomic():
        # ROUNDS of each, in turns and in alternate order, compared by their means:
        # this machine's speed drifts by a third within a minute, and one render of
        # 200 pages printed 53 to 73 ms a page in two runs a minute apart. The
        # floor of a round that comes first renders the last round's pages (the
        # same template, names and numbers aside).
        project_total = floor_total = 0.0
        pages = None
        for round_number in range(ROUNDS):
            session = _completed_session()
            floor_first = round_number % 2 == 1
            if floor_first:
                floor_total += _floor(pages)
            elapsed, certificates = _project(session)
            project_total += elapsed
            pages = _pages(certificates)
            if not floor_first:
                floor_total += _floor(pages)
        project = project_total * 1000 / ROUNDS / COUNT
        floor = floor_total * 1000 / ROUNDS / COUNT

        started = time.perf_counter()
        for page in pages[:NAIVE_SAMPLE]:
            HTML(
                string=render_to_string(TEMPLATE, {"certificates": [page]}),
                base_url=BASE_URL,
                url_fetcher=ProjectFilesFetcher(),
            ).write_pdf()
        naive = (time.perf_counter() - started) * 1000 / min(COUNT, NAIVE_SAMPLE)

        single = certificates[0]
        Certificate.objects.filter(pk=single.pk).update(pdf="", pdf_fingerprint="")
        single.refresh_from_db()
        started = time.perf_counter()
        certificate_pdf(certificate=single)
        first_download = (time.perf_counter() - started) * 1000
        single.refresh_from_db()
        started = time.perf_counter()
        certificate_pdf(certificate=single)
        later_download = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)

    print(f"Certificates, bulk issue of {COUNT} (mean of {ROUNDS} runs each)")
    print(
        f"  (a) project path  {project:7.1f} ms per certificate "
        "(issue, render once, print PDF and ZIP stored)"
    )
    print(
        f"  (b) naive         {naive:7.1f} ms per certificate "
        f"(one document each) → project is {naive / project:.1f}× faster"
    )
    print(f"  (c) floor         {floor:7.1f} ms per page (one multi-page render)")
    print(
        f"  single certificate: first download {first_download:.1f} ms, "
        f"later download {later_download:.1f} ms (from storage)"
    )
    print(f"  naive / floor                   {naive / floor:.2f}×")
    print(f"  end to end / floor              {project / floor:.2f}× (goal ≤ 1.3×)")
    print(
        f"  first download / one-page floor {first_download / floor:.2f}× (goal ≤ 1.5×)"
    )
    print(f"  later download / one-page floor {later_download / floor:.2f}×")
