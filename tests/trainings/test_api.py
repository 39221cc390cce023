import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.sheets import rows_to_csv
from people.models import Gender, Person
from tests.factories import (
    CourseFactory,
    DistrictFactory,
    PersonFactory,
    SessionFactory,
    VillageFactory,
    enrol,
    mark_completed,
)
from trainings.models import Attendance, Course, Enrolment, Session
from trainings.services import attendance_record_day
from trainings.sheets import template_rows

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def session(make_user):
    """The trainer's June 2022 ToT (three days) with one participant."""
    session = SessionFactory(created_by=make_user("trainer"))
    enrol(session, PersonFactory(full_name="Bouaphanh", phone="020 5551 2345"))
    return session


def completed(session, person):
    mark_completed(Enrolment.objects.get(session=session, person=person))


def sheet_upload(session, *rows) -> SimpleUploadedFile:
    """The session's own CSV template with extra rows below it."""
    content = rows_to_csv(template_rows(session=session) + list(rows))
    return SimpleUploadedFile("sheet.csv", content, content_type="text/csv")


def person_row(name, gender="ຍິງ", district="", marks=("1", "1", "1")):
    # The template's columns: name … village, pre- and post-test score, then days.
    return [name, "", gender, "1990", "", "", "", district, "", "", "", *marks]


# Who may do what ---------------------------------------------------------------------

USERS = ["trainer", "trainer2", "manager", "promoter", "anonymous"]

# What each user gets on the trainer's session (trainer2 and the promoter cannot see
# it at all; the manager sees it but changes nothing).
MATRIX = {
    #                     trainer trainer2 manager promoter anonymous
    "session list": (200, 200, 200, 200, 403),
    "session detail": (200, 404, 200, 404, 403),
    "session update": (200, 404, 403, 403, 403),
    "sheet.xlsx": (200, 404, 200, 404, 403),
    "sheet.pdf": (200, 404, 200, 404, 403),
    "import": (200, 404, 403, 403, 403),
    "complete": (200, 404, 403, 403, 403),
    "enrolment list": (200, 200, 200, 200, 403),
    "enrolment detail": (200, 404, 200, 404, 403),
    "attendance": (200, 404, 403, 403, 403),
    "people list": (200, 200, 200, 200, 403),
    "report": (200, 200, 200, 403, 403),
}


def call(client, endpoint, session):
    enrolment = session.enrolments.get()
    base = f"/api/v1/sessions/{session.pk}"
    requests = {
        "session list": lambda: client.get("/api/v1/sessions/"),
        "session detail": lambda: client.get(f"{base}/"),
        "session update": lambda: client.patch(
            f"{base}/", {"venue": "Pakse"}, content_type="application/json"
        ),
        "sheet.xlsx": lambda: client.get(f"{base}/sheet.xlsx"),
        "sheet.pdf": lambda: client.get(f"{base}/sheet.pdf"),
        "import": lambda: client.post(
            f"{base}/import/?dry_run=1", {"file": sheet_upload(session)}
        ),
        "complete": lambda: client.post(f"{base}/complete/"),
        "enrolment list": lambda: client.get("/api/v1/enrolments/"),
        "enrolment detail": lambda: client.get(f"/api/v1/enrolments/{enrolment.pk}/"),
        "attendance": lambda: client.post(
            "/api/v1/attendance/",
            {
                "day": session.days.first().pk,
                "statuses": {str(enrolment.pk): "present"},
            },
            content_type="application/json",
        ),
        "people list": lambda: client.get("/api/v1/people/"),
        "report": lambda: client.get("/api/v1/reports/trained/"),
    }
    return requests[endpoint]()


@pytest.mark.parametrize("endpoint", MATRIX)
@pytest.mark.parametrize("user", USERS)
def test_permission_matrix(client, client_as, session, endpoint, user):
    api = client if user == "anonymous" else client_as(user)

    response = call(api, endpoint, session)

    assert response.status_code == MATRIX[endpoint][USERS.index(user)]


@pytest.mark.parametrize(
    "user, sees_it",
    [("trainer", True), ("manager", True), ("trainer2", False), ("promoter", False)],
)
@pytest.mark.parametrize(
    "url, key",
    [
        ("/api/v1/sessions/", "code"),
        ("/api/v1/enrolments/", "person_name"),
        ("/api/v1/people/", "full_name"),
    ],
)
def test_lists_show_the_trainers_session_only_to_those_allowed(
    client_as, session, user, sees_it, url, key
):
    results = client_as(user).get(url).json()["results"]

    found = {row[key] for row in results}
    assert bool(found & {"TOT-2022-001", "Bouaphanh"}) is sees_it


def test_a_session_they_cannot_change_is_left_unchanged(client_as, session):
    client_as("manager").patch(
        f"/api/v1/sessions/{session.pk}/",
        {"venue": "Pakse"},
        content_type="application/json",
    )
    client_as("trainer2").patch(
        f"/api/v1/sessions/{session.pk}/",
        {"venue": "Pakse"},
        content_type="application/json",
    )

    session.refresh_from_db()
    assert session.venue == "LSSO, Vientiane"


def test_sessions_cannot_be_deleted_through_the_api(client_as, session):
    response = client_as("trainer").delete(f"/api/v1/sessions/{session.pk}/")

    assert response.status_code == 405
    assert Session.objects.filter(pk=session.pk).exists()


# Sessions ----------------------------------------------------------------------------


def test_session_detail_counts_participants_and_completed_by_gender(client_as):
    session = SessionFactory()
    people = {
        gender: PersonFactory(gender=gender)
        for gender in (Gender.WOMAN, Gender.MAN, Gender.OTHER, Gender.NOT_RECORDED)
    }
    enrol(session, *people.values())
    enrol(session, PersonFactory(gender=Gender.MAN), role=Enrolment.Role.TRAINER)
    completed(session, people[Gender.WOMAN])
    completed(session, people[Gender.OTHER])

    data = client_as("manager").get(f"/api/v1/sessions/{session.pk}/").json()

    assert data["participants"] == {
        "total": 4,
        "women": 1,
        "men": 1,
        "other": 1,
        "not_recorded": 1,
    }
    assert data["completed"] == {
        "total": 2,
        "women": 1,
        "men": 0,
        "other": 1,
        "not_recorded": 0,
    }


def test_trainer_creates_a_session_which_gets_its_code_and_days(client, make_user):
    course = CourseFactory(kind=Course.Kind.TOT)
    district = DistrictFactory()
    trainer = make_user("trainer")
    # A leader the trainer registered (someone outside their scope is refused).
    leader = PersonFactory(created_by=trainer)
    client.force_login(trainer)

    response = client.post(
        "/api/v1/sessions/",
        {
            "course": course.pk,
            "starts_on": "2022-06-14",
            "ends_on": "2022-06-16",
            "district": district.pk,
            "venue": "LSSO, Vientiane",
            "led_by": [leader.pk],
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    data = response.json()
    assert data["code"] == "TOT-2022-001"
    assert [day["date"] for day in data["days"]] == [
        "2022-06-14",
        "2022-06-15",
        "2022-06-16",
    ]
    assert data["led_by"] == [leader.pk]
    assert Session.objects.get().created_by.username == "trainer"
    listed = client.get("/api/v1/sessions/").json()["results"]
    assert [row["code"] for row in listed] == ["TOT-2022-001"]


def test_manager_cannot_create_a_session(client_as):
    response = client_as("manager").post(
        "/api/v1/sessions/",
        {
            "course": CourseFactory().pk,
            "starts_on": "2022-06-14",
            "ends_on": "2022-06-16",
            "district": DistrictFactory().pk,
        },
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not Session.objects.exists()


def test_service_refusals_come_back_as_400_with_the_message(client_as, session):
    elsewhere = VillageFactory()

    response = client_as("trainer").patch(
        f"/api/v1/sessions/{session.pk}/",
        {"village": elsewhere.pk},
        content_type="application/json",
        **ENGLISH,
    )

    assert response.status_code == 400
    assert response.json() == {
        "village": ["This village is not in the session's district."]
    }
    session.refresh_from_db()
    assert session.village is None


def test_sheets_are_served_at_their_file_names(client_as, session):
    api = client_as("trainer")

    xlsx = api.get(f"/api/v1/sessions/{session.pk}/sheet.xlsx")
    csv = api.get(f"/api/v1/sessions/{session.pk}/sheet.csv")
    pdf = api.get(f"/api/v1/sessions/{session.pk}/sheet.pdf")

    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx["Content-Disposition"] == 'attachment; filename="TOT-2022-001.xlsx"'
    assert xlsx.content.startswith(b"PK")
    assert "Bouaphanh" in csv.content.decode("utf-8-sig")
    assert csv["Content-Disposition"] == 'attachment; filename="TOT-2022-001.csv"'
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert api.get(f"/api/v1/sessions/{session.pk}/sheetxxlsx").status_code == 404


def test_cascade_counts_people_trained_by_the_sessions_graduates(client_as, session):
    graduate = session.enrolments.get().person
    completed(session, graduate)
    downstream = SessionFactory(course=CourseFactory(kind=Course.Kind.SHORT_COURSE))
    downstream.led_by.add(graduate)
    villagers = [PersonFactory(gender=Gender.MAN), PersonFactory()]
    enrol(downstream, *villagers)
    for villager in villagers:
        completed(downstream, villager)

    data = client_as("trainer").get(f"/api/v1/sessions/{session.pk}/cascade/").json()

    assert data["total"]["total"] == 2
    assert data["generations"] == [
        {
            "generation": 1,
            "total": 2,
            "women": 1,
            "men": 1,
            "other": 0,
            "not_recorded": 0,
        }
    ]


# Sheet import ------------------------------------------------------------------------


def test_import_dry_run_reports_counts_and_saves_nothing(client_as, session):
    upload = sheet_upload(session, person_row("Manivone"), person_row("Khamla"))

    response = client_as("trainer").post(
        f"/api/v1/sessions/{session.pk}/import/?dry_run=1", {"file": upload}
    )

    assert response.status_code == 200
    report = response.json()
    assert report["new"] == 2
    assert report["errors"] == [] and report["committed"] is False
    assert Person.objects.count() == 1
    assert session.enrolments.count() == 1


def test_import_saves_a_good_sheet(client_as, session):
    upload = sheet_upload(session, person_row("Manivone"))

    response = client_as("trainer").post(
        f"/api/v1/sessions/{session.pk}/import/", {"file": upload}
    )

    assert response.status_code == 200
    assert response.json()["committed"] is True
    assert sorted(session.enrolments.values_list("person__full_name", flat=True)) == [
        "Bouaphanh",
        "Manivone",
    ]
    assert Attendance.objects.filter(status=Attendance.Status.PRESENT).count() == 3


def test_import_of_a_sheet_with_errors_answers_400_and_saves_nothing(
    client_as, session
):
    upload = sheet_upload(
        session, person_row("Manivone"), person_row("Khamla", district="Atlantis")
    )

    response = client_as("trainer").post(
        f"/api/v1/sessions/{session.pk}/import/", {"file": upload}, **ENGLISH
    )

    assert response.status_code == 400
    report = response.json()
    assert report["committed"] is False
    assert [(e["row"], e["column"]) for e in report["errors"]] == [
        (4, "District / ເມືອງ")
    ]
    assert "Atlantis" in report["errors"][0]["message"]
    assert Person.objects.count() == 1
    assert session.enrolments.count() == 1


def test_import_without_a_file_is_refused(client_as, session):
    response = client_as("trainer").post(f"/api/v1/sessions/{session.pk}/import/")

    assert response.status_code == 400
    assert "file" in response.json()


# Completion --------------------------------------------------------------------------


def test_complete_says_who_completed_and_why(client_as, session):
    absent = PersonFactory(full_name="Khamla", gender=Gender.MAN)
    enrol(session, absent)
    bouaphanh, khamla = session.enrolments.order_by("person__full_name")
    for day in session.days.all():
        attendance_record_day(day=day, statuses={bouaphanh.pk: "present"})

    response = client_as("trainer").post(
        f"/api/v1/sessions/{session.pk}/complete/", **ENGLISH
    )

    assert response.status_code == 200
    data = response.json()
    assert data["completed"] == [
        {
            "enrolment": bouaphanh.pk,
            "person": "Bouaphanh",
            "reason": "Attended 3 of 3 days (100 %)",
        }
    ]
    assert [row["person"] for row in data["not_completed"]] == ["Khamla"]
    assert data["counts"]["participants"]["total"] == 2
    assert data["counts"]["completed"] == {
        "total": 1,
        "women": 1,
        "men": 0,
        "other": 0,
        "not_recorded": 0,
    }


def test_complete_before_the_last_day_is_refused(client_as, make_user):
    today = timezone.localdate()
    session = SessionFactory(
        created_by=make_user("trainer"),
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
    )

    response = client_as("trainer").post(
        f"/api/v1/sessions/{session.pk}/complete/", **ENGLISH
    )

    assert response.status_code == 400
    assert "still ahead" in response.json()["non_field_errors"][0]
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


# Enrolments and attendance -----------------------------------------------------------


def test_enrolling_by_details_reuses_the_registered_person(client_as, session):
    response = client_as("trainer").post(
        "/api/v1/enrolments/",
        {"session": session.pk, "full_name": "ນາງ ບົວພັນ", "phone": "+856 20 55512345"},
        content_type="application/json",
        **ENGLISH,
    )

    assert response.status_code == 200
    data = response.json()
    assert data["person_name"] == "Bouaphanh"
    assert "Used the already registered Bouaphanh" in data["message"]
    assert Person.objects.count() == 1


def test_enrolling_someone_new_registers_them(client_as, session):
    response = client_as("trainer").post(
        "/api/v1/enrolments/",
        {"session": session.pk, "full_name": "Manivone", "gender": "woman"},
        content_type="application/json",
        **ENGLISH,
    )

    assert response.status_code == 201
    assert response.json()["message"] == "Registered Manivone and enrolled them."
    assert session.enrolments.count() == 2


def test_enrolling_needs_a_person_or_a_name(client_as, session):
    response = client_as("trainer").post(
        "/api/v1/enrolments/",
        {"session": session.pk},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "full_name" in response.json()


def test_trainer2_cannot_enrol_into_the_trainers_session(client_as, session):
    response = client_as("trainer2").post(
        "/api/v1/enrolments/",
        {"session": session.pk, "full_name": "Manivone"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert session.enrolments.count() == 1


def test_scores_are_updated_through_the_api(client_as, session):
    enrolment = session.enrolments.get()

    response = client_as("trainer").patch(
        f"/api/v1/enrolments/{enrolment.pk}/",
        {"pre_score": "45", "post_score": "82.5"},
        content_type="application/json",
    )

    assert response.status_code == 200
    enrolment.refresh_from_db()
    assert (enrolment.pre_score, enrolment.post_score) == (45, 82.5)


def test_attendance_recorded_for_a_day_is_listed_for_the_session(client_as, session):
    enrolment = session.enrolments.get()
    first, second, _third = session.days.all()
    api = client_as("trainer")
    for day, status in ((first, "present"), (second, "late")):
        api.post(
            "/api/v1/attendance/",
            {"day": day.pk, "statuses": {str(enrolment.pk): status}},
            content_type="application/json",
        )

    listed = api.get("/api/v1/attendance/", {"session": session.pk}).json()

    assert [(row["date"], row["status"]) for row in listed["results"]] == [
        ("2022-06-14", "present"),
        ("2022-06-15", "late"),
    ]


def test_attendance_for_someone_outside_the_session_is_refused(client_as, session):
    stranger = enrol(SessionFactory(created_by=session.created_by), PersonFactory())[0]

    response = client_as("trainer").post(
        "/api/v1/attendance/",
        {"day": session.days.first().pk, "statuses": {str(stranger.pk): "present"}},
        content_type="application/json",
        **ENGLISH,
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [f"Enrolment {stranger.pk} is not in this session."]
    }
    assert not Attendance.objects.exists()


# Courses -----------------------------------------------------------------------------


@pytest.mark.parametrize("user, status", [("trainer", 201), ("manager", 403)])
def test_only_trainers_and_administrators_add_courses(client_as, user, status):
    response = client_as(user).post(
        "/api/v1/courses/",
        {
            "title_lo": "ປະຖົມນິເທດ",
            "title_en": "Orientation on social security",
            "kind": "orientation",
        },
        content_type="application/json",
    )

    assert response.status_code == status
    assert Course.objects.exists() is (status == 201)


# The count of people trained ---------------------------------------------------------


def test_report_counts_a_person_trained_twice_once(client_as, session):
    bouaphanh = session.enrolments.get().person
    again = SessionFactory(created_by=session.created_by)
    enrol(again, bouaphanh, PersonFactory(gender=Gender.MAN))
    for trained in (session, again):
        for enrolment in trained.enrolments.all():
            completed(trained, enrolment.person)

    counts = client_as("manager").get("/api/v1/reports/trained/").json()

    assert counts == {
        "total": 2,
        "women": 1,
        "men": 1,
        "other": 0,
        "not_recorded": 0,
        "aggregate": NO_AGGREGATE,
    }


NO_AGGREGATE = {"total": 0, "women": 0, "men": 0, "other": 0, "not_recorded": 0}


def test_report_filters_and_trainers_count_only_their_sessions(client_as, session):
    completed(session, session.enrolments.get().person)
    other = SessionFactory(created_by=None)
    enrol(other, PersonFactory(gender=Gender.MAN))
    completed(other, other.enrolments.get().person)
    url = "/api/v1/reports/trained/"

    assert client_as("manager").get(url).json()["total"] == 2
    assert client_as("manager").get(url, {"year": 2021}).json()["total"] == 0
    assert client_as("trainer").get(url).json()["women"] == 1
    assert client_as("trainer").get(url).json()["men"] == 0
    assert client_as("trainer2").get(url).json()["total"] == 0


def test_session_list_counts_a_whole_page_without_a_query_per_session(client_as):
    client = client_as("manager")

    def queries_for(sessions: int) -> int:
        for _ in range(sessions):
            session = SessionFactory()
            enrol(session, PersonFactory(gender=Gender.WOMAN))
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/sessions/")
        assert response.status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(8)


def test_a_tot_session_shows_its_impact_and_other_sessions_none(client_as, session):
    graduate = session.enrolments.get().person
    completed(session, graduate)
    farm = CourseFactory(title_en="Farm workers", kind=Course.Kind.SHORT_COURSE)
    downstream = SessionFactory(
        course=farm,
        starts_on=datetime.date(2022, 8, 1),
        ends_on=datetime.date(2022, 8, 1),
        led_by=[graduate],
    )
    villager = PersonFactory(gender=Gender.WOMAN)
    enrol(downstream, villager)
    completed(downstream, villager)
    client = client_as("manager")

    impact = client.get(f"/api/v1/sessions/{session.pk}/").json()["impact"]
    rows = client.get("/api/v1/sessions/").json()["results"]
    listed = {row["id"]: row for row in rows}

    assert impact["graduates"]["total"] == 1
    assert impact["sessions_led"] == 1
    assert impact["people_trained"] == {
        "total": 1,
        "women": 1,
        "men": 0,
        "other": 0,
        "not_recorded": 0,
    }
    assert impact["meetings_led"] == 0
    assert impact["people_reached"]["total"] == 0
    assert impact["registrations"]["total"] == 0
    assert listed[session.pk]["impact"] == impact
    assert listed[downstream.pk]["impact"] is None


def test_long_programmes_abroad_are_listed_with_institution_and_country(
    client_as, session
):
    from tests.factories import abroad_session

    masters = abroad_session(people=[PersonFactory()])

    listed = {
        row["id"]: row
        for row in client_as("manager")
        .get("/api/v1/sessions/", **ENGLISH)
        .json()["results"]
    }

    assert listed[masters.pk]["institution"] == "Mahidol University"
    assert listed[masters.pk]["country"] == "TH"
    assert listed[masters.pk]["country_name"] == "Thailand"
    assert listed[masters.pk]["district"] is None
    assert listed[session.pk]["institution"] is None
    assert listed[session.pk]["country"] is None
    assert listed[session.pk]["district"] == session.district_id


def test_a_trainer_creates_a_programme_abroad_without_a_district(client, make_user):
    course = CourseFactory(kind=Course.Kind.LONG_PROGRAMME, min_attendance_percent=0)
    client.force_login(make_user("trainer"))
    fields = {
        "course": course.pk,
        "starts_on": "2024-08-01",
        "ends_on": "2026-07-31",
        "institution": "Mahidol University",
    }

    refused = client.post("/api/v1/sessions/", fields, content_type="application/json")
    created = client.post(
        "/api/v1/sessions/",
        {**fields, "country": "TH", "expected_end_on": "2026-07-31"},
        content_type="application/json",
    )

    assert refused.status_code == 400
    assert "district" in refused.json()
    assert created.status_code == 201, created.json()
    assert created.json()["district"] is None
    assert Session.objects.get().expected_end_on == datetime.date(2026, 7, 31)
