"""Issue 13's findings, one regression test each (a–l), written test-first against the
behaviour the access policy must give. Each one fails while its door is open."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from certificates.services import certificate_issue, certificate_revoke
from common.sheets import rows_to_csv
from people.models import Gender, Person
from promoters.models import Promoter, VillageMeeting
from promoters.sheets import COLUMNS, spreadsheet_import
from tests.factories import (
    CourseFactory,
    DistrictFactory,
    DistrictOfficeFactory,
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    VillageFactory,
    enrol,
    record_meeting,
)
from trainings.imports import sheet_import
from trainings.models import Course, Enrolment, Session
from trainings.services import attendance_record_day, session_complete
from trainings.sheets import template_rows

pytestmark = pytest.mark.django_db

PHONE = "020 5551 2345"
MASKED = "020 ••• ••45"


@pytest.fixture
def trainer(make_user):
    return make_user("trainer")


@pytest.fixture
def own_session(trainer):
    """Trainer A's session, with one participant of their own."""
    session = SessionFactory(created_by=trainer)
    enrol(session, PersonFactory(full_name="Manivone", created_by=trainer))
    return session


@pytest.fixture
def outsider(make_user):
    """Bouaphanh: registered by trainer B and enrolled only in B's session, so
    outside trainer A's scope."""
    trainer_b = make_user("trainer2")
    person = PersonFactory(
        full_name="Bouaphanh",
        phone=PHONE,
        birth_year=1988,
        gender=Gender.WOMAN,
        created_by=trainer_b,
    )
    enrol(SessionFactory(created_by=trainer_b, venue="Pakse"), person)
    return person


def _session_form(session, **changes) -> dict:
    """The admin session form as the edit page posts it, without enrolment rows."""
    data = {
        "course": session.course_id,
        "starts_on": session.starts_on.isoformat(),
        "ends_on": session.ends_on.isoformat(),
        "status": session.status,
        "capacity": "",
        "venue": session.venue,
        "district": session.district_id,
        "village": "",
        "enrolments-TOTAL_FORMS": "0",
        "enrolments-INITIAL_FORMS": "0",
        "enrolments-MIN_NUM_FORMS": "0",
        "enrolments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_a_session_form_enrolment_inline_refuses_a_person_outside_scope(
    client_as, trainer, outsider
):
    """(a) "the enrolment inline of the session form accepts any `Person` id (the
    chooser widget is scoped, the form field's queryset is not)"."""
    session = SessionFactory(created_by=trainer)

    response = client_as("trainer").post(
        reverse("sessions:edit", args=[session.pk]),
        _session_form(
            session,
            **{
                "enrolments-TOTAL_FORMS": "1",
                "enrolments-0-id": "",
                "enrolments-0-person": outsider.pk,
                "enrolments-0-role": Enrolment.Role.PARTICIPANT,
                "enrolments-0-status": Enrolment.Status.ENROLLED,
                "enrolments-0-pre_score": "",
                "enrolments-0-post_score": "",
            },
        ),
    )

    assert response.status_code == 200  # the form again, with its error
    form = response.context["form"]
    assert form.errors or any(form.formsets["enrolments"].errors)
    assert not Enrolment.objects.filter(session=session, person=outsider).exists()


def test_b_led_by_offers_and_accepts_only_people_in_scope(
    client_as, own_session, outsider
):
    """(b) "the `led_by` select in the session form and `SessionSerializer.led_by`
    list every person in the database"."""
    client = client_as("trainer")

    form = client.get(reverse("sessions:edit", args=[own_session.pk])).context["form"]
    assert outsider not in form.fields["led_by"].queryset

    response = client.post(
        "/api/v1/sessions/",
        {
            "course": CourseFactory().pk,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-04",
            "district": DistrictFactory().pk,
            "led_by": [outsider.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "led_by" in response.json()
    assert not Session.objects.filter(led_by=outsider, created_by__username="trainer")


def test_c_enrolling_by_phone_neither_reveals_nor_adopts_an_outsider(
    client_as, own_session, outsider
):
    """(c) "`POST /api/v1/enrolments/` with only a phone number answers "used the
    already registered <name>" and enrols that person, found by
    `person_find_duplicates` over all people"."""
    response = client_as("trainer").post(
        "/api/v1/enrolments/",
        {"session": own_session.pk, "full_name": "Noy", "phone": PHONE},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert "Bouaphanh" not in response.content.decode()
    assert response.json()["person"] != outsider.pk
    assert not Enrolment.objects.filter(session=own_session, person=outsider).exists()
    new = Enrolment.objects.get(session=own_session, person__full_name="Noy").person
    assert new.pk != outsider.pk
    assert Person.objects.get(pk=new.pk).possible_duplicate_of_id == outsider.pk


def test_d1_sheet_import_does_not_adopt_or_change_an_outsider(
    trainer, own_session, outsider
):
    """(d) "the same global matching in ... the sign-in sheet import" — and "by
    importing a sheet row that matches them" a trainer changes another trainer's
    participants."""
    before = Person.objects.values().get(pk=outsider.pk)
    row = ["Noy", "", "ຊາຍ", "1975", PHONE, "", "", "", "", "", "", "1", "1", "1"]
    content = rows_to_csv(template_rows(session=own_session) + [row])

    report = sheet_import(
        session=own_session,
        content=content,
        filename="sheet.csv",
        dry_run=False,
        by=trainer,
    )

    assert report.errors == [] and report.committed
    assert Person.objects.values().get(pk=outsider.pk) == before
    assert not Enrolment.objects.filter(session=own_session, person=outsider).exists()
    new = Enrolment.objects.get(session=own_session, person__full_name="Noy").person
    assert new.pk != outsider.pk
    assert Person.objects.get(pk=new.pk).possible_duplicate_of_id == outsider.pk


def test_d2_promoter_import_does_not_adopt_an_outsider(make_user, outsider):
    """(d) "the promoter import (an officer importing a row with someone's phone
    adopts that person)"."""
    officer = make_user("officer")
    office = DistrictOfficeFactory(officers=[officer], name="Paksong DSSO")
    VillageFactory(district=office.district, name_lo="ບ້ານ ໜອງຫຼວງ")
    row = {
        "full_name": "Noy",
        "phone": PHONE,
        "role": "village_chief",
        "office": "Paksong DSSO",
        "village": "ບ້ານ ໜອງຫຼວງ",
        "started_on": "2022-07-01",
    }
    content = rows_to_csv(
        [
            [column.header for column in COLUMNS["promoters"]],
            [row.get(column.key, "") for column in COLUMNS["promoters"]],
        ]
    )
    before = Person.objects.values().get(pk=outsider.pk)

    report = spreadsheet_import(
        kind="promoters",
        content=content,
        filename="promoters.csv",
        user=officer,
        dry_run=False,
    )

    assert report.errors == [] and report.new == 1
    assert not Promoter.objects.filter(person=outsider).exists()
    assert Promoter.objects.get().person.full_name == "Noy"
    assert Person.objects.values().get(pk=outsider.pk) == before


@pytest.mark.parametrize("method", ["patch", "put"])
def test_e_a_trainer_cannot_change_a_course_through_the_api(client_as, method):
    """(e) "A trainer can rewrite any course through the API (`PATCH
    /api/v1/courses/{id}/`, 200), though the Trainer role has no `change_course`
    permission and the admin refuses it"."""
    course = CourseFactory(kind=Course.Kind.TOT, min_attendance_percent=80)
    payload = {
        "title_lo": course.title_lo,
        "title_en": course.title_en,
        "kind": Course.Kind.SHORT_COURSE,
        "min_attendance_percent": 10,
    }

    response = getattr(client_as("trainer"), method)(
        f"/api/v1/courses/{course.pk}/", payload, content_type="application/json"
    )

    assert response.status_code == 403
    course.refresh_from_db()
    assert (course.kind, course.min_attendance_percent) == (Course.Kind.TOT, 80)


def test_f_a_trainer_cannot_change_another_trainers_participant(
    client_as, own_session, outsider
):
    """(f) "A trainer can change another trainer's participants — by `PATCH
    /api/v1/people/{id}/` after pulling them in as above"."""
    client = client_as("trainer")
    # The pull-in of (c): after the fix it registers someone new instead.
    client.post(
        "/api/v1/enrolments/",
        {"session": own_session.pk, "full_name": "Noy", "phone": PHONE},
        content_type="application/json",
    )

    response = client.patch(
        f"/api/v1/people/{outsider.pk}/",
        {"full_name": "Changed", "birth_year": 1950},
        content_type="application/json",
    )

    assert response.status_code == 404
    outsider.refresh_from_db()
    assert (outsider.full_name, outsider.birth_year) == ("Bouaphanh", 1988)


def _sheet_text(content: bytes, file_format: str) -> str:
    if file_format == "csv":
        return content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_g_managers_get_masked_phone_numbers_in_sheet_templates(
    client_as, trainer, file_format
):
    """(g) "Managers get unmasked phone numbers from the sign-in sheet templates
    (CSV/XLSX/PDF) while the people API masks them for the same manager"."""
    session = SessionFactory(created_by=trainer)
    enrol(session, PersonFactory(full_name="Bouaphanh", phone=PHONE))
    url = f"/api/v1/sessions/{session.pk}/sheet.{file_format}"

    as_trainer = client_as("trainer").get(url)
    as_manager = client_as("manager").get(url)

    assert (as_trainer.status_code, as_manager.status_code) == (200, 200)
    assert PHONE in _sheet_text(as_trainer.content, file_format)
    manager_text = _sheet_text(as_manager.content, file_format)
    assert "5551" not in manager_text and "2345" not in manager_text
    assert MASKED in manager_text


def test_h_a_revoked_certificate_pdf_is_not_served_to_its_holder(
    client, client_as, make_user, admin_user
):
    """(h) "A certificate's holder can download a revoked certificate's PDF through
    `/api/v1/certificates/{id}/pdf/`, unmarked"."""
    promoter = make_user("promoter")
    session = SessionFactory(created_by=make_user("trainer"))
    (enrolment,) = enrol(session, PersonFactory(full_name="Khamphaeng", user=promoter))
    for day in session.days.all():
        attendance_record_day(day=day, statuses={enrolment.pk: "present"})
    session_complete(session=session, today=datetime.date(2030, 1, 1))
    certificate, _ = certificate_issue(enrolment=enrolment)
    certificate_revoke(certificate=certificate, reason="Wrong name", by=admin_user)
    url = f"/api/v1/certificates/{certificate.pk}/pdf/"

    client.force_login(promoter)
    as_holder = client.get(url)

    assert as_holder.status_code in (403, 404)
    assert not as_holder.content.startswith(b"%PDF")
    assert client_as("admin").get(url).status_code == 200


def test_i_completion_is_set_only_by_the_completion_rule(client_as, own_session):
    """(i) "a trainer can create a session already "completed" or set an enrolment to
    "completed" without the completion rule"."""
    client = client_as("trainer")

    created = client.post(
        "/api/v1/sessions/",
        {
            "course": own_session.course_id,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-04",
            "district": own_session.district_id,
            "status": Session.Status.COMPLETED,
        },
        content_type="application/json",
    )
    enrolment = own_session.enrolments.get()  # no attendance: does not complete
    changed = client.patch(
        f"/api/v1/enrolments/{enrolment.pk}/",
        {"status": Enrolment.Status.COMPLETED},
        content_type="application/json",
    )

    assert created.status_code == 400
    assert not Session.objects.filter(status=Session.Status.COMPLETED).exists()
    assert changed.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_j_a_client_uuid_replay_never_returns_another_districts_meeting(
    client_as, make_user, admin_user
):
    """(j) "a `client_uuid` replay returns a meeting of another district when its
    recorder was deleted"."""
    elsewhere = PromoterFactory(office=DistrictOfficeFactory())
    recorder = make_user("recorder", role="District officers")
    elsewhere.office.officers.add(recorder)
    other = record_meeting(
        elsewhere, user=recorder, notes="Secret notes from another district"
    )
    get_user_model().objects.filter(pk=recorder.pk).delete()
    officer = make_user("officer")
    mine = PromoterFactory(office=DistrictOfficeFactory(officers=[officer]))

    response = client_as("officer").post(
        "/api/v1/meetings/",
        {
            "client_uuid": str(other.client_uuid),
            "date": "2023-06-03",
            "village": mine.village.pk,
            "led_by": [mine.pk],
            "turnout": {"women": 14, "men": 11},
            "registrations": {"women": 4, "men": 2},
        },
        content_type="application/json",
    )

    assert response.status_code in (400, 409)
    body = response.json() if response.content else {}
    assert not (isinstance(body, dict) and body.get("id") == other.pk)
    assert "Secret notes" not in response.content.decode()
    assert VillageMeeting.objects.filter(client_uuid=other.client_uuid).count() == 1
    other.refresh_from_db()
    assert other.village == elsewhere.village


@pytest.mark.parametrize(
    "user, status",
    [("trainer", 403), ("officer", 403), ("manager", 403), ("admin", 200)],
)
def test_k_site_history_is_for_administrators_only(client_as, user, status):
    """(k) "Wagtail's site history (`/admin/reports/site-history/`) shows trainers and
    officers the names on certificates and people edits outside their scope"."""
    assert client_as(user).get("/admin/reports/site-history/").status_code == status


def test_l_an_officer_with_two_offices_reports_on_either_district(
    client_as, make_user, admin_user
):
    """(l) "The officer's districts come from one place (all their offices — today
    reports take only the first)"."""
    officer = make_user("officer")
    first = DistrictOfficeFactory(officers=[officer])
    second = DistrictOfficeFactory(officers=[officer])
    record_meeting(PromoterFactory(office=first), user=admin_user)
    record_meeting(PromoterFactory(office=second), user=admin_user)

    response = client_as("officer").get(
        reverse("reports_index"), {"district": second.district_id}
    )

    assert response.status_code == 200
    assert "district" not in response.context["form"].errors
    report = response.context["report"]
    assert report.filters.district == second.district
    assert not report.filters.sees_nothing
    assert report.outreach.meetings == 1
