import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from people.models import Gender
from tests.factories import PersonFactory, SessionFactory, UserFactory, enrol
from trainings.models import Attendance, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned_session(make_user):
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)
    enrol(session, *(PersonFactory(gender=Gender.WOMAN) for _ in range(2)))
    enrol(session, *(PersonFactory(gender=Gender.MAN) for _ in range(3)))
    return session


def url(name, session, *args):
    return reverse(f"sessions:{name}", args=[session.pk, *args])


def test_session_page_says_how_many_women_and_men(client_in_english, owned_session):
    response = client_in_english("manager").get(url("inspect", owned_session))

    assert response.status_code == 200
    assert "5 participants: 2 women, 3 men" in response.content.decode()


def test_session_page_speaks_lao_by_default(client_as, owned_session):
    content = client_as("trainer").get(url("inspect", owned_session)).content.decode()
    assert "ຜູ້ເຂົ້າຮ່ວມ 5 ຄົນ" in content


READ_ROUTES = [
    ("inspect", ()),
    ("sheet", ("pdf",)),
    ("sheet", ("xlsx",)),
    ("sheet", ("csv",)),
]
CHANGE_ROUTES = [
    ("edit", ()),
    ("attendance", ()),
    ("import", ()),
    ("paste", ()),
    ("participants", ()),
    ("complete", ()),
    ("history", ()),
]
ADMIN_ONLY_ROUTES = [("delete", ())]


@pytest.mark.parametrize(
    ("name", "args"), READ_ROUTES + CHANGE_ROUTES + ADMIN_ONLY_ROUTES
)
def test_another_trainer_cannot_reach_the_session_by_any_route(
    client_as, owned_session, name, args
):
    response = client_as("trainer2").get(url(name, owned_session, *args))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "args"), READ_ROUTES + CHANGE_ROUTES)
def test_owner_reaches_every_route(client_as, owned_session, name, args):
    assert client_as("trainer").get(url(name, owned_session, *args)).status_code == 200


@pytest.mark.parametrize(("name", "args"), READ_ROUTES)
def test_manager_reads(client_as, owned_session, name, args):
    assert client_as("manager").get(url(name, owned_session, *args)).status_code == 200


@pytest.mark.parametrize(
    ("name", "args"), READ_ROUTES + CHANGE_ROUTES + ADMIN_ONLY_ROUTES
)
def test_administrator_reaches_every_route(client_as, owned_session, name, args):
    assert client_as("admin").get(url(name, owned_session, *args)).status_code == 200


def test_trainer_cannot_delete_a_session(client_as, owned_session):
    response = client_as("trainer").post(url("delete", owned_session))
    assert response.status_code in (302, 403)
    assert Session.objects.filter(pk=owned_session.pk).exists()


@pytest.mark.parametrize(("name", "args"), CHANGE_ROUTES + ADMIN_ONLY_ROUTES)
def test_manager_cannot_change(client_as, owned_session, name, args):
    response = client_as("manager").get(url(name, owned_session, *args))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert "/admin/" == response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("username", ["promoter", "editor", "officer"])
def test_other_roles_see_no_sessions(client_as, owned_session, username):
    client = client_as(username)
    assert client.get(url("inspect", owned_session)).status_code in (302, 403, 404)
    assert client.get(url("sheet", owned_session, "xlsx")).status_code in (
        302,
        403,
        404,
    )


def test_anonymous_is_sent_to_sign_in(client, owned_session):
    response = client.get(url("sheet", owned_session, "xlsx"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_index_lists_only_the_trainers_sessions(client_as, owned_session):
    other = SessionFactory(created_by=UserFactory(username="trainer2", role="Trainers"))

    content = client_as("trainer").get(reverse("sessions:index")).content.decode()

    assert owned_session.code in content and other.code not in content


def test_listing_export_is_scoped_too(client_as, owned_session):
    other = SessionFactory(created_by=UserFactory(username="trainer2", role="Trainers"))

    response = client_as("trainer").get(reverse("sessions:index") + "?export=csv")

    content = b"".join(response.streaming_content).decode()
    assert owned_session.code in content and other.code not in content


def test_attendance_grid_saves_every_cell_in_one_post(client_as, owned_session):
    enrolments = list(owned_session.enrolments.all())
    days = list(owned_session.days.all())
    data = {f"cell-{e.pk}-{d.pk}": "present" for e in enrolments for d in days}
    data[f"cell-{enrolments[0].pk}-{days[0].pk}"] = "late"

    response = client_as("trainer").post(url("attendance", owned_session), data)

    assert response.status_code == 302
    assert Attendance.objects.filter(status="present").count() == 14
    assert Attendance.objects.filter(status="late").count() == 1


def test_template_download_is_prefilled(client_as, owned_session):
    response = client_as("trainer").get(url("sheet", owned_session, "xlsx"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Full name / ຊື່ ແລະ ນາມສະກຸນ"
    assert sheet.max_row == 6
    assert 'filename="TOT-2022-001.xlsx"' in response["Content-Disposition"]


def test_pdf_sign_in_sheet_downloads(client_as, owned_session):
    response = client_as("trainer").get(url("sheet", owned_session, "pdf"))
    assert response.content.startswith(b"%PDF")


def test_import_previews_then_saves_on_confirmation(client_in_english, owned_session):
    client = client_in_english("trainer")
    days = [d.date.isoformat() for d in owned_session.days.all()]
    csv_body = ("Full name,Gender," + ",".join(days) + "\nນາງ ແກ້ວ,ຍິງ,1,1,1\n").encode()
    upload = io.BytesIO(csv_body)
    upload.name = "sheet.csv"

    preview = client.post(url("import", owned_session), {"file": upload})

    assert preview.status_code == 200
    assert (
        "New people: 1 · already registered, newly enrolled: 0 · updated: 0 · "
        "unchanged: 0." in preview.content.decode()
    )
    assert owned_session.enrolments.count() == 5
    token = preview.context["token"]
    saved = client.post(url("import", owned_session), {"confirm": "1", "token": token})
    assert saved.status_code == 302
    assert owned_session.enrolments.count() == 6


def test_import_with_errors_shows_them_and_saves_nothing(
    client_in_english, owned_session
):
    upload = io.BytesIO(b"Full name,Gender\nX,banana\n")
    upload.name = "sheet.csv"

    response = client_in_english("trainer").post(
        url("import", owned_session), {"file": upload}
    )

    content = response.content.decode()
    assert "Nothing was saved" in content
    assert "“banana” is not a gender" in content
    assert owned_session.enrolments.count() == 5


def test_completing_shows_who_completed_and_why(client_in_english, owned_session):
    response = client_in_english("trainer").post(url("complete", owned_session))

    assert response.status_code == 200
    content = response.content.decode()
    assert "0 completed" in content
    assert "Attended 0 of 3 days (0 %); 80 % required" in content
    owned_session.refresh_from_db()
    assert owned_session.status == Session.Status.COMPLETED


def test_a_trainer_creates_a_session_in_the_admin(client_as, make_user):
    from tests.factories import CourseFactory, DistrictFactory

    course, district = CourseFactory(), DistrictFactory()
    response = client_as("trainer").post(
        reverse("sessions:add"),
        {
            "course": course.pk,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-04",
            "status": "planned",
            "venue": "Pakse",
            "district": district.pk,
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
            "enrolments-MIN_NUM_FORMS": "0",
            "enrolments-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get()
    assert session.code == "TOT-2026-001"
    assert session.created_by.username == "trainer"
    assert session.days.count() == 3
    assert session.starts_on == datetime.date(2026, 3, 2)


def test_a_session_in_an_approved_period_says_so_instead_of_saving(
    client_in_english, make_user
):
    from periods.models import PeriodApproval
    from periods.services import period_approve
    from tests.factories import CourseFactory, DistrictFactory

    course, district = CourseFactory(), DistrictFactory()
    period_approve(
        district=district,
        kind=PeriodApproval.Kind.MONTH,
        year=2026,
        number=3,
        by=make_user("manager"),
    )
    response = client_in_english("trainer").post(
        reverse("sessions:add"),
        {
            "course": course.pk,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-04",
            "status": "planned",
            "venue": "Pakse",
            "district": district.pk,
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
            "enrolments-MIN_NUM_FORMS": "0",
            "enrolments-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 200
    assert "is approved, so it cannot change" in response.content.decode()
    assert not Session.objects.exists()


def test_the_person_chooser_heads_its_list_name_in_lao(client_as):
    PersonFactory()
    client = client_as("admin")

    response = client.get(reverse("person_chooser:choose"))

    html = response.json()["html"]
    head = " ".join(html[html.find("<thead") : html.find("</thead>")].split())
    assert "ຊື່" in head  # "Name"
    assert "ຫົວຂໍ້" not in head  # Wagtail's "Title"


def test_a_tot_page_shows_what_its_graduates_did_next(client_in_english, owned_session):
    from tests.factories import CourseFactory, mark_completed
    from trainings.models import Course

    client = client_in_english("manager")
    empty = client.get(url("inspect", owned_session)).content.decode()
    graduate = owned_session.enrolments.first()
    mark_completed(graduate)
    downstream = SessionFactory(
        course=CourseFactory(kind=Course.Kind.SHORT_COURSE),
        starts_on=datetime.date(2022, 9, 1),
        ends_on=datetime.date(2022, 9, 1),
        led_by=[graduate.person],
    )
    (enrolment,) = enrol(downstream, PersonFactory(gender=Gender.MAN))
    mark_completed(enrolment)

    page = client.get(url("inspect", owned_session)).content.decode()
    other = client.get(url("inspect", downstream)).content.decode()

    assert 'data-testid="impact-empty"' in empty
    assert 'data-figure="impact-sessions-led">1<' in page
    assert 'data-figure="impact-people-trained">1 (0 women, 1 man)<' in page
    assert 'id="impact"' not in other


# Long and external programmes ----------------------------------------------------


def test_the_session_form_records_a_programme_abroad_without_a_district(client_as):
    from tests.factories import CourseFactory

    course = CourseFactory(kind="long_programme", min_attendance_percent=0)
    form = client_as("trainer").get(reverse("sessions:add")).content.decode()
    for field in ("institution", "country", "expected_end_on"):
        assert f'name="{field}"' in form

    response = client_as("trainer").post(
        reverse("sessions:add"),
        {
            "course": course.pk,
            "starts_on": "2024-08-01",
            "ends_on": "2026-07-31",
            "status": "planned",
            "institution": "Mahidol University",
            "country": "TH",
            "expected_end_on": "2026-07-31",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
            "enrolments-MIN_NUM_FORMS": "0",
            "enrolments-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get()
    assert (session.district, session.country) == (None, "TH")
    assert session.institution == "Mahidol University"


def test_the_programme_panel_knows_which_courses_it_applies_to(client_as):
    """i18h item 2: the course list names the long programmes and the script that
    shows the "Long programme or abroad" panel only for them (or abroad) is on the
    page; the country is asked with the place, for every course."""
    from tests.factories import CourseFactory

    short = CourseFactory(kind="short_course")
    masters = CourseFactory(kind="long_programme", min_attendance_percent=0)
    form = client_as("trainer").get(reverse("sessions:add")).content.decode()

    assert f'data-long-programmes="{masters.pk}"' in form
    assert str(short.pk) not in form.split('data-long-programmes="')[1].split('"')[0]
    assert 'data-laos="LA"' in form
    assert "js/session-form.js" in form
    place, programme = form.index('name="district"'), form.index('name="institution"')
    assert place < form.index('name="country"') < programme


def test_a_short_course_keeps_its_institution_when_saved_without_script(
    client_as, owned_session
):
    """Without JavaScript the panel shows and whatever it holds is saved as before."""
    Session.objects.filter(pk=owned_session.pk).update(institution="LSSO")
    owned_session.refresh_from_db()
    form = client_as("trainer").get(url("edit", owned_session)).content.decode()
    assert 'value="LSSO"' in form


def test_the_study_page_records_status_and_return_to_post(client_in_english, make_user):
    from tests.factories import abroad_session

    masters = abroad_session(
        people=[PersonFactory(full_name="Souphaphone")],
        created_by=make_user("trainer"),
        completed=False,
    )
    enrolment = masters.enrolments.get()
    client = client_in_english("trainer")
    assert client.get(url("study", masters)).status_code == 200

    response = client.post(
        url("study", masters),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-enrolment": enrolment.pk,
            "form-0-study_status": "graduated",
            "form-0-study_ended_on": "2023-08-31",
            "form-0-returned_on": "2023-09-04",
            "form-0-return_position": "Deputy head of division",
        },
    )

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    assert enrolment.returned_on == datetime.date(2023, 9, 4)
    page = client.get(url("inspect", masters)).content.decode()
    assert "Mahidol University" in page
    assert "Graduated" in page
    assert "Deputy head of division" in page
    assert "04/09/2023" in page


def test_the_study_page_is_only_for_programmes_and_their_trainers(
    client_as, make_user, owned_session
):
    from tests.factories import abroad_session

    masters = abroad_session(created_by=make_user("trainer"))

    assert client_as("trainer").get(url("study", owned_session)).status_code == 404
    assert client_as("trainer2").get(url("study", masters)).status_code == 404
    refused = client_as("manager").get(url("study", masters))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
