"""Field history: every write, at every door, names who changed which field from what
to what (issue 13, item 5)."""

import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from accounts.tokens import token_create
from audit.history import HISTORY_MODELS, history_models
from audit.models import AuditEvent
from certificates.models import CertificateJob
from certificates.services import certificate_job_start
from people.models import Gender, Person
from people.services import person_update
from tests.certificates.conftest import complete
from tests.factories import PersonFactory, SessionFactory, enrol
from trainings.imports import sheet_import
from trainings.models import Attendance, Enrolment
from trainings.services import attendance_record_day, session_complete

pytestmark = pytest.mark.django_db


def entries_of(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def last_change(obj) -> LogEntry:
    return entries_of(obj).filter(action=LogEntry.Action.UPDATE).last()


def test_every_listed_model_is_followed_and_no_secret_is_kept():
    from auditlog.registry import auditlog

    assert len(history_models()) == len(HISTORY_MODELS)
    for model in history_models():
        assert auditlog.contains(model), model
    certificate = next(m for m in history_models() if m.__name__ == "Certificate")
    assert "code" in auditlog.get_model_fields(certificate)["exclude_fields"]


def test_an_admin_edit_keeps_the_fields_and_who(client_as, admin_user):
    person = PersonFactory(full_name="ນາງ ບົວພັນ", position="Clerk")

    response = client_as("admin").post(
        reverse("people:edit", args=[person.pk]),
        {
            "full_name": person.full_name,
            "gender": person.gender,
            "position": "Nurse",
            "not_a_duplicate": "on",
        },
    )

    assert response.status_code == 302
    entry = last_change(person)
    assert entry.actor == admin_user
    assert entry.changes_dict["position"] == ["Clerk", "Nurse"]


def test_an_api_patch_with_a_token_is_in_the_history_and_the_trail(client, make_user):
    """Regression: API PATCH/PUT were not audited."""
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)
    person = PersonFactory(position="Clerk", gender=Gender.WOMAN)
    enrol(session, person)
    _token, key = token_create(user=trainer, name="test", second_factor=False)

    response = client.patch(
        f"/api/v1/people/{person.pk}/",
        {"position": "Nurse"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )

    assert response.status_code == 200, response.content
    entry = last_change(person)
    assert entry.actor == trainer
    assert entry.changes_dict["position"] == ["Clerk", "Nurse"]
    event = AuditEvent.objects.get(action="person.change")
    assert (event.user, event.object_id, event.summary) == (
        trainer,
        str(person.pk),
        "position",
    )


def test_an_api_patch_of_an_enrolment_is_in_the_trail(client, make_user):
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)
    (enrolment,) = enrol(session, PersonFactory())
    _token, key = token_create(user=trainer, name="test", second_factor=False)

    response = client.patch(
        f"/api/v1/enrolments/{enrolment.pk}/",
        {"pre_score": "55"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )

    assert response.status_code == 200, response.content
    event = AuditEvent.objects.get(action="change")
    assert (event.user, event.object_type) == (trainer, "api:enrolment-detail")
    assert last_change(enrolment).actor == trainer


def test_person_update_writes_the_trail_without_values(admin_user):
    """Regression: ``person_update`` wrote no log."""
    person = PersonFactory(phone="020 5551 2345")

    person_update(person=person, phone="020 7777 8888", by=admin_user)

    event = AuditEvent.objects.get(action="person.change")
    assert (event.user, event.summary) == (admin_user, "phone")
    assert "7777" not in event.summary
    assert last_change(person).changes_dict["phone"] == [
        "020 5551 2345",
        "020 7777 8888",
    ]


def test_an_unchanged_save_writes_no_event(admin_user):
    person = PersonFactory(position="Clerk")

    person_update(person=person, position="Clerk", by=admin_user)

    assert not AuditEvent.objects.filter(action="person.change").exists()


def sheet(session, rows) -> bytes:
    workbook = Workbook()
    days = [day.date.isoformat() for day in session.days.all()]
    workbook.active.append(
        ["Full name / ຊື່ ແລະ ນາມສະກຸນ", "Gender / ເພດ", "Phone / ເບີໂທ", *days]
    )
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_a_sheet_import_keeps_history_and_sets_updated_at(make_user):
    """Regression: the import's bulk_update left ``updated_at`` unchanged."""
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)
    known = PersonFactory(
        full_name="ນາງ ບົວພັນ", gender=Gender.WOMAN, phone="020 5551 2345"
    )
    enrol(session, known)
    Person.objects.filter(pk=known.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    marks = ["1"] * session.days.count()
    content = sheet(
        session,
        [
            ["ນາງ ບົວພັນ", "ຍິງ", "+856 20 5551 2345", *marks],
            ["ທ້າວ ສົມພອນ", "ຊາຍ", "", *marks],
        ],
    )

    report = sheet_import(
        session=session, content=content, filename="s.xlsx", dry_run=False, by=trainer
    )

    assert report.committed, report.errors
    known.refresh_from_db()
    assert known.updated_at.year > 2020
    change = last_change(known)
    assert change.actor == trainer
    assert change.changes_dict["phone"] == ["020 5551 2345", "+856 20 5551 2345"]
    newcomer = Person.objects.get(full_name="ທ້າວ ສົມພອນ")
    created = entries_of(newcomer).get(action=LogEntry.Action.CREATE)
    assert created.actor == trainer
    enrolment = Enrolment.objects.get(person=newcomer)
    assert entries_of(enrolment).filter(actor=trainer).exists()
    attendance = Attendance.objects.filter(enrolment=enrolment).first()
    assert entries_of(attendance).get().actor == trainer


def test_bulk_attendance_and_completion_keep_history(make_user):
    session = SessionFactory()
    enrolments = enrol(session, PersonFactory(), PersonFactory())
    day = session.days.first()
    attendance_record_day(day=day, statuses={e.pk: "present" for e in enrolments})

    attendance_record_day(day=day, statuses={enrolments[0].pk: "absent"})
    session_complete(session=session, today=datetime.date(2030, 1, 1))

    record = Attendance.objects.get(enrolment=enrolments[0], day=day)
    assert last_change(record).changes_dict["status"] == ["present", "absent"]
    enrolments[1].refresh_from_db()
    assert last_change(enrolments[1]).changes_dict["status"] == [
        "enrolled",
        enrolments[1].status,
    ]


def test_bulk_creation_entries_are_auditlogs_own(make_user):
    """The entries of bulk-created records (worked out once per model) are what
    auditlog writes for one save: same fields, same values, same names."""
    from auditlog.diff import model_instance_diff

    from audit.history import _creation_diff

    session = SessionFactory()
    person = PersonFactory(latin_name="Bua", birth_year=1990, phone="020 5551 2345")
    blank = PersonFactory(organisation=None, village=None)
    enrolment = enrol(session, person)[0]
    attendance = Attendance.objects.create(
        enrolment=enrolment, day=session.days.first(), status="late"
    )
    for record in (person, blank, enrolment, attendance, session.course):
        assert _creation_diff(record) == model_instance_diff(None, record)
        assert dict(entries_of(record).get(action=LogEntry.Action.CREATE).changes) == {
            name: list(values) for name, values in _creation_diff(record).items()
        }
    with translation.override("en"):
        assert str(attendance).endswith("· Late")


def _stored(model, objects) -> list[dict]:
    ignored = {"id", "created_at", "updated_at"}
    names = [f.attname for f in model._meta.concrete_fields if f.name not in ignored]
    rows = model.objects.filter(pk__in=[o.pk for o in objects]).order_by("pk")
    return list(rows.values(*names))


def test_bulk_created_records_are_stored_as_bulk_create_stores_them(make_user):
    """The rows ``history_bulk_create`` inserts itself (values read directly, keys
    read back) are the rows ``bulk_create`` inserts, on either database."""
    from audit.history import history_bulk_create
    from people.models import Organisation

    session = SessionFactory()
    base = PersonFactory()

    def people():
        # An organisation saved after it was assigned: its key is taken on saving.
        organisation = Organisation(name=f"New {Organisation.objects.count()}")
        return organisation, [
            Person(
                full_name="ສົມພອນ",
                gender=Gender.WOMAN,
                birth_year=1985,
                phone="020 5551 2345",
                organisation=organisation,
                district=base.district,
                consent_given_on=datetime.date(2024, 2, 17),
                name_key="ສົມພອນ",
            ),
            Person(full_name="Bua", position="", name_key="bua", phone_key=""),
        ]

    stored = []
    for create in (
        history_bulk_create,
        lambda model, objs: model.objects.bulk_create(objs),
    ):
        organisation, new_people = people()
        organisation.kind = "other"
        organisation.save()
        created = create(Person, new_people)
        assert all(person.pk for person in created)
        assert created[0].organisation_id == organisation.pk
        enrolments = create(
            Enrolment,
            [
                Enrolment(session=session, person=person, pre_score=Decimal("7.5"))
                for person in created
            ],
        )
        stored.append(
            (
                [
                    {**row, "organisation_id": row["organisation_id"] is not None}
                    for row in _stored(Person, created)
                ],
                [{**row, "person_id": None} for row in _stored(Enrolment, enrolments)],
            )
        )
    assert stored[0] == stored[1]


def test_the_records_of_one_bulk_write_share_its_time():
    """``auto_now`` times are taken once per bulk write (as the entries' time is),
    set on the records and stored."""
    from audit.history import history_bulk_create

    before = timezone.now()
    created = history_bulk_create(
        Person,
        [Person(full_name=f"ສົມພອນ {n}", name_key=f"ສົມພອນ {n}") for n in range(3)],
    )

    times = {(p.created_at, p.updated_at) for p in created}
    stored = set(
        Person.objects.filter(pk__in=[p.pk for p in created]).values_list(
            "created_at", "updated_at"
        )
    )
    assert len(times) == 1
    [(created_at, updated_at)] = times
    assert created_at == updated_at >= before
    assert stored == times


def test_a_bulk_insert_takes_as_many_rows_a_statement_as_the_database_allows():
    """On SQLite, the library's own limit of parameters (32,766 by default since
    SQLite 3.32, 250,000 in Debian's build), not Django's 999: 2,500 people of 20
    columns in 3 statements of at most 1,000 rows (Django's limit: 50 rows, 50
    statements), and their entries in 3. A value every row of a statement shares
    (a default, the entries' action, actor and time, a column of one value) is bound
    once a statement, not once a row. PostgreSQL takes one array a column."""
    import sqlite3

    from django.db import connection

    from audit.history import history_bulk_insert

    count = 2_500
    rows = [{"full_name": f"ສົມພອນ {n}", "name_key": f"ສົມພອນ {n}"} for n in range(count)]
    inserts = []

    def capture(execute, sql, params, many, context):
        if sql.startswith("INSERT"):
            inserts.append((sql, len(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        keys = history_bulk_insert(Person, rows, [row["full_name"] for row in rows])

    assert len(set(keys)) == Person.objects.filter(pk__in=keys).count() == count
    assert entries_of(Person.objects.get(pk=keys[-1])).count() == 1
    if connection.vendor == "sqlite":
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        assert limit >= 32_766
        assert len(inserts) == 3 + 3
        people = [size for sql, size in inserts if "people_person" in sql]
        entries = [size for sql, size in inserts if "auditlog_logentry" in sql]
        columns = len(Person._meta.concrete_fields) - 1  # not the key
        # Two columns given a row; the other columns' defaults once a statement.
        assert sum(people) == 2 * count + (columns - 2) * 3
        # Four columns an entry (its record's key twice, label and changes); the
        # rest shared, the content type (the same for every entry) included.
        shared = len(LogEntry._meta.concrete_fields) - 1 - 4
        assert sum(entries) == 4 * count + shared * 3
    else:
        # One UNNEST of the 2,500 rows; the entries go by COPY, on psycopg's cursor.
        assert len(inserts) == 1


@pytest.mark.parametrize(
    "rows",
    [
        # One row: every column is "shared"; one must still be a row's own.
        [{"full_name": "ນາງ ແສງ", "name_key": "a", "birth_year": 1985}],
        # A column of one value (birth year), one of mixed types that compare
        # equal (1985 and 1985.0 are not one value), one of None throughout.
        [
            {"full_name": f"ສົມພອນ {n}", "name_key": "b", "birth_year": year}
            for n, year in enumerate([1985, 1985.0, 1985])
        ],
        [
            {"full_name": f"ຄຳ {n}", "name_key": f"c{n}", "birth_year": None}
            for n in range(1_200)  # two statements
        ],
    ],
    ids=["one row", "mixed types", "two statements"],
)
def test_rows_are_stored_as_given_whichever_values_they_share(rows):
    """Values every row shares are bound once a statement (SQLite): what is stored
    and the keys' order are those of rows written one by one."""
    from audit.history import history_bulk_insert

    keys = history_bulk_insert(Person, rows, [row["full_name"] for row in rows])

    stored = Person.objects.in_bulk(keys)
    assert [
        {name: getattr(stored[key], name) for name in row}
        for key, row in zip(keys, rows, strict=True)
    ] == [
        {**row, "birth_year": row["birth_year"] and int(row["birth_year"])}
        for row in rows
    ]
    assert entries_of(stored[keys[-1]]).get().object_repr == rows[-1]["full_name"]


def test_changes_written_from_values_are_the_text_json_dumps_writes():
    """``history_bulk_insert`` writes an entry's changes as JSON text itself; the
    text the database keeps is the one of the same record built and written as an
    instance (json.dumps's, non-ASCII escaped), whatever the characters."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from audit.history import history_bulk_create, history_bulk_insert

    names = ['ນາງ "ແສງ" \\ ສີ', "None", "tab\there", "\u0007 bell", "ຄຳ\nnew"]
    details = [
        {"full_name": name, "name_key": name, "birth_year": year, "phone": ""}
        for name, year in zip(names, [1985, None, 2001, 1960, None], strict=True)
    ]
    keys = history_bulk_insert(Person, details, names)
    built = history_bulk_create(Person, [Person(**row) for row in details])

    def stored(pk):
        return (
            entries_of(Person.objects.get(pk=pk))
            .annotate(text=Cast("changes", TextField()))
            .values_list("text", flat=True)
            .get()
        )

    for key, person in zip(keys, built, strict=True):
        assert stored(key) == stored(person.pk)


def test_records_inserted_as_values_are_those_inserted_as_instances(make_user):
    """``history_bulk_insert`` (rows of values, the fields not given left to their
    defaults) writes the rows and entries ``history_bulk_create`` writes for the
    same records built as instances."""
    from audit.history import history_actor, history_bulk_create, history_bulk_insert

    trainer = make_user("trainer")
    session = SessionFactory()
    day = session.days.first()
    written = []
    for as_values in (True, False):
        person = PersonFactory()
        enrolment = Enrolment(session=session, person=person, pre_score=Decimal("7.5"))
        with history_actor(trainer):
            if as_values:
                values = {"session_id": session.pk, "person_id": person.pk}
                [enrolment.pk] = history_bulk_insert(
                    Enrolment,
                    [{**values, "pre_score": Decimal("7.5"), "post_score": None}],
                    [str(enrolment)],
                )
                [key] = history_bulk_insert(
                    Attendance,
                    [
                        {
                            "enrolment_id": enrolment.pk,
                            "day_id": day.pk,
                            "status": "late",
                        }
                    ],
                    [Attendance.name_of(enrolment, day, "late")],
                )
                attendance = Attendance.objects.get(pk=key)
            else:
                [enrolment] = history_bulk_create(Enrolment, [enrolment])
                [attendance] = history_bulk_create(
                    Attendance,
                    [Attendance(enrolment=enrolment, day=day, status="late")],
                )
        records = []
        for model, record in ((Enrolment, enrolment), (Attendance, attendance)):
            [row] = _stored(model, [record])
            entry = entries_of(record).get()
            changes = dict(entry.changes)
            for name in ("person", "enrolment"):
                changes.pop(name, None)
            assert entry.object_repr == str(model.objects.get(pk=record.pk))
            assert (entry.actor, entry.object_pk) == (trainer, str(record.pk))
            records.append(
                (
                    {**row, "person_id": None, "enrolment_id": None},
                    changes,
                    entry.action,
                    entry.object_repr.split(" · ", 1)[1],
                )
            )
        written.append(records)
    assert written[0] == written[1]


def test_a_celery_job_names_the_user_who_asked_and_the_job(
    make_user, django_capture_on_commit_callbacks
):
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)
    complete(session, [PersonFactory()])

    with django_capture_on_commit_callbacks(execute=True):
        job = certificate_job_start(session=session, by=trainer)

    job.refresh_from_db()
    assert job.state == CertificateJob.State.DONE
    certificate = session.enrolments.get().certificates.get()
    created = entries_of(certificate).get(action=LogEntry.Action.CREATE)
    assert created.actor == trainer
    assert created.additional_data == {"job": "certificate job"}


def test_the_actor_does_not_outlive_the_request(client_as, admin_user):
    client_as("admin").get(reverse("people:index"))

    person = PersonFactory()

    assert entries_of(person).get().actor is None


def test_a_promoter_import_names_the_officer(make_user):
    from common.sheets import rows_to_csv
    from promoters.models import Promoter
    from promoters.sheets import COLUMNS, spreadsheet_import
    from tests.factories import DistrictOfficeFactory, VillageFactory

    officer = make_user("officer")
    office = DistrictOfficeFactory(officers=[officer], name="Paksong DSSO")
    VillageFactory(district=office.district, name_lo="ບ້ານ ໜອງຫຼວງ")
    row = {
        "full_name": "ທ້າວ ສົມສັກ",
        "gender": "Man",
        "role": "village_chief",
        "office": "Paksong DSSO",
        "village": "ບ້ານ ໜອງຫຼວງ",
        "started_on": "2022-07-01",
    }
    columns = COLUMNS["promoters"]
    content = rows_to_csv(
        [[c.header for c in columns], [row.get(c.key, "") for c in columns]]
    )

    report = spreadsheet_import(
        kind="promoters",
        content=content,
        filename="p.csv",
        user=officer,
        dry_run=False,
    )

    assert report.errors == []
    promoter = Promoter.objects.get()
    assert entries_of(promoter).get().actor == officer
    assert entries_of(promoter.person).get().actor == officer
