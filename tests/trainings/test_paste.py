"""Rows pasted from a spreadsheet: read as the sheet import reads a file, with
the same preview and confirmation, errors naming the pasted row and column."""

import pytest
from django.urls import reverse

from people.models import Gender, Person
from tests.factories import PersonFactory, SessionFactory, enrol
from trainings.paste import paste_import, paste_read

pytestmark = pytest.mark.django_db

PASTED = (
    "ນາງ ບົວພັນ ສີສຸກ\tຍິງ\t020 5551 2345\tLSSO\tພະນັກງານ\n"
    "ທ້າວ ສົມພອນ ແກ້ວມະນີ\tຊາຍ\t020 5551 6789\tLSSO\tຫົວໜ້າ\n"
)


@pytest.fixture
def session(make_user):
    return SessionFactory(created_by=make_user("trainer"))


def url(session):
    return reverse("sessions:paste", args=[session.pk])


def test_rows_without_a_header_are_name_gender_phone_organisation_position(session):
    report = paste_import(
        session=session, pasted=paste_read(PASTED), dry_run=False, by=None
    )

    assert report.errors == []
    person = Person.objects.get(full_name="ນາງ ບົວພັນ ສີສຸກ")
    assert person.gender == Gender.WOMAN
    assert person.phone == "020 5551 2345"
    assert person.organisation.name == "LSSO"
    assert person.position == "ພະນັກງານ"
    assert session.enrolments.count() == 2


def test_a_header_row_names_the_columns_in_any_order(session):
    pasted = "Phone\tFull name\n020 5551 2345\tນາງ ບົວພັນ\n"

    report = paste_import(
        session=session, pasted=paste_read(pasted), dry_run=False, by=None
    )

    assert report.errors == []
    assert Person.objects.get(full_name="ນາງ ບົວພັນ").phone == "020 5551 2345"


def test_errors_name_the_pasted_row_and_the_column(session):
    pasted = "ນາງ ບົວພັນ\tຍິງ\n\nທ້າວ ສົມພອນ\tbanana\n"

    report = paste_import(
        session=session, pasted=paste_read(pasted), dry_run=True, by=None
    )

    assert [(e.row, e.column) for e in report.errors] == [(3, "Gender / ເພດ")]
    assert "banana" in report.errors[0].message


def test_a_row_with_more_cells_than_the_five_columns_is_refused(session):
    pasted = "ນາງ ບົວພັນ\tຍິງ\t020 5551 2345\tLSSO\tພະນັກງານ\tບ້ານໂພນໄຊ\n"

    report = paste_import(
        session=session, pasted=paste_read(pasted), dry_run=True, by=None
    )

    assert [(e.row, e.column) for e in report.errors] == [(1, "column 6")]
    assert Person.objects.count() == 0


def test_a_comma_in_a_cell_stays_in_its_column(session):
    pasted = "ນາງ ບົວພັນ\tຍິງ\t\tບໍລິສັດ ສີສຸກ, ຈຳກັດ\tຜູ້ຈັດການ\n"

    paste_import(session=session, pasted=paste_read(pasted), dry_run=False, by=None)

    person = Person.objects.get(full_name="ນາງ ບົວພັນ")
    assert person.organisation.name == "ບໍລິສັດ ສີສຸກ, ຈຳກັດ"
    assert person.position == "ຜູ້ຈັດການ"


def test_pasting_previews_then_saves_on_confirmation(client_in_english, session):
    client = client_in_english("trainer")

    preview = client.post(url(session), {"rows": PASTED})

    content = preview.content.decode()
    assert "Preview — nothing is saved yet." in content
    assert (
        "New people: 2 · already registered, newly enrolled: 0 · updated: 0 · "
        "unchanged: 0." in content
    )
    assert session.enrolments.count() == 0
    saved = client.post(
        url(session), {"confirm": "1", "token": preview.context["token"]}
    )
    assert saved.status_code == 302
    assert session.enrolments.count() == 2


def test_pasting_with_an_error_keeps_the_text_and_saves_nothing(
    client_in_english, session
):
    pasted = "ນາງ ບົວພັນ\tbanana\n"

    response = client_in_english("trainer").post(url(session), {"rows": pasted})

    content = response.content.decode()
    assert "Nothing was saved" in content
    assert "“banana” is not a gender" in content
    assert "ນາງ ບົວພັນ\tbanana" in content  # the textarea keeps what was pasted
    assert response.context["token"] == ""
    assert Person.objects.count() == 0


def test_pasting_more_people_than_the_session_takes_is_refused(
    client_in_english, make_user
):
    session = SessionFactory(created_by=make_user("trainer"), capacity=3)
    enrol(session, *(PersonFactory() for _ in range(2)))

    response = client_in_english("trainer").post(url(session), {"rows": PASTED})

    assert "The session takes 3 participants; this sheet would make 4." in (
        response.content.decode()
    )
    assert session.enrolments.count() == 2


def test_a_confirmation_token_from_another_session_saves_nothing(
    client_in_english, session, make_user
):
    client = client_in_english("trainer")
    other = SessionFactory(created_by=make_user("trainer"))
    token = client.post(url(session), {"rows": PASTED}).context["token"]

    response = client.post(url(other), {"confirm": "1", "token": token})

    assert response.status_code == 302
    assert other.enrolments.count() == 0
    assert session.enrolments.count() == 0


def test_scores_pasted_with_the_template_headers_update_the_enrolled(session):
    enrol(
        session,
        PersonFactory(full_name="ນາງ ບົວພັນ"),
        PersonFactory(full_name="ທ້າວ ສົມພອນ"),
    )
    pasted = (
        "Full name\tPre-test score\tPost-test score\n"
        "ນາງ ບົວພັນ\t35\t໗໕\n"
        "ທ້າວ ສົມພອນ\t40\t45\n"
    )

    report = paste_import(
        session=session, pasted=paste_read(pasted), dry_run=False, by=None
    )

    assert (report.new, report.updated) == (0, 2)
    scores = session.enrolments.order_by("person__full_name").values_list(
        "pre_score", "post_score"
    )
    assert [(int(pre), int(post)) for pre, post in scores] == [(40, 45), (35, 75)]
