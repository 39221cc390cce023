"""Explicit facts events (issue 19, item 3).

The services that write what the reports' facts copy announce it
(``common.events.training_facts_announce``); nothing else keeps the facts true. So
a bulk write of those models (``.update()``, ``bulk_*``, a queryset's
``.delete()``: no model signal, no service) outside the model's own services would
leave them stale until the nightly rebuild: the scan below refuses one, and checks
itself first on a tiny project written for the purpose. Then: one definition of
"trained" for the selectors and the facts, and the facts true after each service
write (``facts_differences()`` empty), the fan-outs done by a task after the commit.
"""

import ast
from pathlib import Path

import pytest

from certificates.services import certificate_issue, certificate_revoke
from common.events import training_facts_changed
from people.models import Gender, Organisation
from people.services import organisation_save, person_update
from places.services import PlaceRow, district_save, places_load
from reports.facts import facts_differences, facts_rebuild, facts_version
from reports.filters import ReportFilters
from reports.models import CertificateFact, TrainedFact
from reports.selectors import trained_total
from tests.factories import (
    CourseFactory,
    PersonFactory,
    ProvinceFactory,
    SessionFactory,
    enrol,
)
from trainings.models import Course, Enrolment
from trainings.selectors import trained_enrolments
from trainings.services import (
    course_update,
    enrolment_update,
    session_save,
    session_update,
)

ROOT = Path(__file__).resolve().parent.parent.parent
SKIPPED = {"tests", "benchmarks", "migrations", "node_modules", "static"}

# The models the facts copy, by the app whose services write them.
SOURCE_MODELS = {
    "Enrolment": "trainings",
    "Session": "trainings",
    "Course": "trainings",
    "HistoricalTraining": "trainings",
    "Certificate": "certificates",
    "Person": "people",
    "Organisation": "people",
    "District": "places",
}
# Reverse relations that reach them from another object (``session.enrolments``).
RELATED_NAMES = {"enrolments": "Enrolment", "certificates": "Certificate"}
BULK_METHODS = {"update", "bulk_create", "bulk_update", "delete"}
BULK_HELPERS = {"history_bulk_create", "history_bulk_insert", "history_bulk_update"}

# Bulk writes outside the model's services, each with why the facts stay true.
ALLOWED = {
    # A sheet's enrolments, scores and attendance in bulk; the import announces its
    # session afterwards (trainings.imports._write), in the same transaction.
    ("trainings/imports.py", "Enrolment"),
}


def _chain_model(node: ast.AST) -> str | None:
    """The source model a queryset expression starts from, if any: ``Model.objects
    …``, ``Model._default_manager …`` or ``something.enrolments …``."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            value = node.value
            if node.attr in ("objects", "_default_manager") and isinstance(
                value, ast.Name
            ):
                return value.id if value.id in SOURCE_MODELS else None
            if node.attr in RELATED_NAMES:
                return RELATED_NAMES[node.attr]
            node = value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return None


def bulk_writes(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, model, method) of every bulk write of a source model in ``tree``."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in BULK_METHODS:
            if func.attr == "delete" and (node.args or node.keywords):
                continue  # a file field's delete(save=False), not a queryset's
            model = _chain_model(func.value)
            if model is not None:
                found.append((node.lineno, model, func.attr))
        elif isinstance(func, ast.Name) and func.id in BULK_HELPERS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Name) and first.id in SOURCE_MODELS:
                found.append((node.lineno, first.id, func.id))
    return found


def violations(root: Path) -> list[str]:
    """Bulk writes of a source model outside ``<its app>/services.py`` and the
    allow-list, as ``path:line Model.method``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED & set(relative.parts) or relative.parts[0].startswith("."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        name = relative.as_posix()
        for line, model, method in bulk_writes(tree):
            if name == f"{SOURCE_MODELS[model]}/services.py":
                continue
            if (name, model) not in ALLOWED:
                found.append(f"{name}:{line} {model}.{method}")
    return found


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_scan_finds_bulk_writes_outside_services(tmp_path):
    root = write(
        tmp_path,
        {
            "trainings/services.py": (
                "def enrolment_close(session):\n"
                "    Enrolment.objects.filter(session=session).update(status='x')\n"
            ),
            "trainings/views.py": (
                "def close(session, people):\n"
                "    Enrolment.objects.filter(session=session).update(status='x')\n"
                "    session.enrolments.all().delete()\n"
                "    Course.objects.bulk_update(people, ['kind'])\n"
                "    history_bulk_create(Enrolment, [])\n"
                "    session.delete()\n"
                "    Attendance.objects.all().delete()\n"
                "    session.pdf.delete(save=False)\n"
            ),
            "people/tasks.py": "Organisation.objects.all().delete()\n",
            "places/services.py": "Organisation.objects.update(kind='ngo')\n",
            "tests/test_x.py": "Enrolment.objects.update(status='x')\n",
            "people/migrations/0002_x.py": "Person.objects.update(gender='x')\n",
        },
    )
    assert violations(root) == [
        "people/tasks.py:1 Organisation.delete",
        "places/services.py:1 Organisation.update",
        "trainings/views.py:2 Enrolment.update",
        "trainings/views.py:3 Enrolment.delete",
        "trainings/views.py:4 Course.bulk_update",
        "trainings/views.py:5 Enrolment.history_bulk_create",
    ]


def test_no_bulk_write_of_what_the_facts_copy_outside_its_services():
    assert violations(ROOT) == []


# One definition of "trained" -------------------------------------------------------


@pytest.mark.django_db
def test_the_facts_count_who_the_selectors_count():
    tot = CourseFactory(kind=Course.Kind.TOT)
    session = SessionFactory(course=tot)
    other = SessionFactory()
    done, withdrawn, left, lead = (
        PersonFactory(),
        PersonFactory(),
        PersonFactory(),
        PersonFactory(),
    )
    enrolled = enrol(session, done, withdrawn, left)
    enrol(other, done, withdrawn)
    (facilitator,) = enrol(session, lead, role=Enrolment.Role.FACILITATOR)
    statuses = [
        Enrolment.Status.COMPLETED,
        Enrolment.Status.WITHDRAWN,
        Enrolment.Status.NOT_COMPLETED,
    ]
    for enrolment, status in zip(enrolled, statuses, strict=True):
        Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
    Enrolment.objects.filter(session=other).update(status=Enrolment.Status.COMPLETED)
    Enrolment.objects.filter(pk=facilitator.pk).update(
        status=Enrolment.Status.COMPLETED
    )
    revoked = Enrolment.objects.get(session=other, person=withdrawn)
    certificate, _created = certificate_issue(enrolment=revoked)
    certificate_revoke(certificate=certificate, reason="Wrong person", by=None)

    facts_rebuild()

    trained = set(trained_enrolments().values_list("pk", flat=True))
    assert trained == set(TrainedFact.objects.values_list("enrolment_id", flat=True))
    assert len(trained) == 3  # not the withdrawn, the not completed, the facilitator
    assert CertificateFact.objects.get().revoked_at is not None


# The services announce, only what the facts copy ----------------------------------


@pytest.fixture
def announced():
    """The announcements sent while the test runs."""
    heard = []

    def listen(sender, **scope):
        scope.pop("signal")
        heard.append({name: value for name, value in scope.items() if value})

    training_facts_changed.connect(listen, weak=False)
    yield heard
    training_facts_changed.disconnect(listen)


@pytest.mark.django_db
def test_a_write_the_facts_do_not_copy_announces_nothing(story, announced):
    course_update(course=story.august.course, title_en="Rights at work, revised")
    person_update(person=story.people["lee"], position="Shop steward")
    session_update(session=story.august, venue="Union hall")
    enrolment = Enrolment.objects.get(session=story.august, person=story.people["dao"])
    enrolment_update(enrolment=enrolment, post_score=80)
    district_save(district=story.district_a)
    organisation_save(organisation=story.people["noy"].organisation)

    assert announced == []


@pytest.mark.django_db
def test_each_service_write_keeps_the_facts_true(story, announced):
    dao = Enrolment.objects.get(session=story.august, person=story.people["dao"])
    enrolment_update(enrolment=dao, status=Enrolment.Status.WITHDRAWN)
    assert facts_differences() == []
    person_update(person=story.people["lee"], gender=Gender.WOMAN)
    assert facts_differences() == []
    session_update(session=story.august, district=story.district_a)
    assert facts_differences() == []
    noy = Enrolment.objects.get(session=story.tot, person=story.people["noy"])
    certificate, _created = certificate_issue(enrolment=noy)
    assert facts_differences() == []
    certificate_revoke(certificate=certificate, reason="Wrong name", by=None)
    assert facts_differences() == []

    noy_id = story.people["noy"].pk
    assert announced == [
        {"people": [dao.person_id]},
        {"people": [story.people["lee"].pk]},
        {"sessions": [story.august.pk]},
        {"people": [noy_id]},
        {"people": [noy_id]},
    ]


def _moves(write, callbacks_fixture) -> None:
    """Run a write whose fan-out waits for the commit: the facts are stale until
    the task runs after it, true after, under a new data version."""
    with callbacks_fixture() as callbacks:
        write()
    assert facts_differences() != []
    # A figure read between the commit and the task is cached under this version.
    trained_total(ReportFilters())
    before = facts_version()
    for callback in callbacks:
        callback()
    assert facts_differences() == []
    assert facts_version() != before


@pytest.mark.django_db
def test_a_course_that_changes_kind_is_refreshed_after_the_commit(
    story, announced, django_capture_on_commit_callbacks
):
    course = story.august.course
    _moves(
        lambda: course_update(course=course, kind=Course.Kind.TOT),
        django_capture_on_commit_callbacks,
    )
    assert announced == [{"course": course.pk}]


@pytest.mark.django_db
def test_an_organisation_that_changes_kind_is_refreshed_after_the_commit(
    story, announced, django_capture_on_commit_callbacks
):
    ministry = story.people["noy"].organisation
    ministry.kind = Organisation.Kind.TRADE_UNION
    _moves(
        lambda: organisation_save(organisation=ministry),
        django_capture_on_commit_callbacks,
    )
    assert announced == [{"organisation": ministry.pk}]


@pytest.mark.django_db
def test_a_district_moved_to_another_province_is_refreshed_after_the_commit(
    story, announced, django_capture_on_commit_callbacks
):
    district = story.district_a
    district.province = ProvinceFactory(code="15", iso="LA-XE", name_en="Sekong")
    _moves(lambda: district_save(district=district), django_capture_on_commit_callbacks)
    assert announced == [{"district": district.pk}]


@pytest.mark.django_db
def test_the_places_file_that_moves_a_district_refreshes_its_people(
    story, announced, django_capture_on_commit_callbacks
):
    district = story.district_b
    other = ProvinceFactory(code="15", iso="LA-XE", name_en="Sekong")
    row = PlaceRow(
        line=2,
        province_code=other.code,
        province_iso=other.iso,
        province_name_lo=other.name_lo,
        province_name_en=other.name_en,
        district_code=district.code,
        district_name_lo=district.name_lo,
        district_name_en=district.name_en,
    )
    _moves(
        lambda: places_load(rows=[row], update_existing=True),
        django_capture_on_commit_callbacks,
    )
    assert announced == [{"district": district.pk}]


@pytest.mark.django_db
def test_the_admin_edit_of_an_organisation_goes_through_its_service(
    story, admin_client, announced, django_capture_on_commit_callbacks
):
    ministry = story.people["noy"].organisation
    url = f"/admin/organisations/edit/{ministry.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"name": ministry.name, "kind": Organisation.Kind.TRADE_UNION}
        )
    assert response.status_code == 302
    assert announced == [{"organisation": ministry.pk}]
    assert facts_differences() == []


@pytest.mark.django_db
def test_the_admin_session_form_announces_the_enrolments_it_changed(story, announced):
    dao = Enrolment.objects.get(session=story.august, person=story.people["dao"])

    def inline_forms():  # what the form's enrolment rows save
        dao.status = Enrolment.Status.WITHDRAWN
        dao.save()

    session_save(session=story.august, save_related=inline_forms)

    assert announced == [{"people": [dao.person_id]}]
    assert facts_differences() == []
