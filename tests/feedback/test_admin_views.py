"""Feedback in the admin: the session page's block, the QR page, paper forms."""

import io

import pytest
from django.urls import reverse

from feedback.models import Feedback, FeedbackLink
from periods.models import PeriodApproval
from periods.services import period_approve
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _forms(session, *ratings, improve=""):
    for relevance in ratings:
        Feedback.objects.create(
            session=session,
            relevance=relevance,
            trainer=4,
            materials=3,
            improve=improve,
        )


def test_the_session_page_sums_up_feedback_and_lists_comments(
    client_in_english, make_user
):
    session = SessionFactory(created_by=make_user("trainer"))
    _forms(session, 5, 4)
    _forms(session, 3, improve="More practice, please")

    content = (
        client_in_english("trainer")
        .get(reverse("sessions:inspect", args=[session.pk]))
        .content.decode()
    )

    assert 'data-testid="feedback-summary"' in content
    assert "3 forms" in content
    assert "More practice, please" in content
    assert reverse("feedback_paper", args=[session.pk]) in content
    assert reverse("feedback_qr", args=[session.pk]) in content


def test_a_manager_sees_feedback_but_is_not_offered_paper_entry(
    client_in_english, make_user
):
    session = SessionFactory(created_by=make_user("trainer"))
    _forms(session, 5, improve="ດີຫຼາຍ")

    content = (
        client_in_english("manager")
        .get(reverse("sessions:inspect", args=[session.pk]))
        .content.decode()
    )

    assert "ດີຫຼາຍ" in content
    assert reverse("feedback_paper", args=[session.pk]) not in content


def test_the_qr_page_prints_the_forms_address_and_makes_one_link(
    client_in_english, make_user
):
    session = SessionFactory(created_by=make_user("trainer"))
    client = client_in_english("trainer")

    first = client.get(reverse("feedback_qr", args=[session.pk]))
    client.get(reverse("feedback_qr", args=[session.pk]))

    link = FeedbackLink.objects.get(session=session)
    content = first.content.decode()
    assert first.status_code == 200
    assert f"/feedback/{link.token}/" in content
    assert "<svg" in content
    assert FeedbackLink.objects.count() == 1


def test_another_trainers_session_has_no_qr_page(client_in_english, make_user):
    session = SessionFactory(created_by=make_user("trainer"))

    response = client_in_english("trainer2").get(
        reverse("feedback_qr", args=[session.pk])
    )

    assert response.status_code == 404
    assert not FeedbackLink.objects.exists()


def _paper(client, session, rows):
    data = {"form-TOTAL_FORMS": "10", "form-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data |= {f"form-{index}-{name}": value for name, value in row.items()}
    return client.post(reverse("feedback_paper", args=[session.pk]), data)


def test_paper_forms_are_saved_skipping_empty_rows(client_in_english, make_user):
    session = SessionFactory(created_by=make_user("trainer"))
    client = client_in_english("trainer")

    response = _paper(
        client,
        session,
        [
            {"relevance": "5", "trainer": "5", "materials": "4", "recommend": "yes"},
            {"relevance": "3", "trainer": "4", "materials": "2", "improve": "ຮ້ອນ"},
        ],
    )

    assert response.status_code == 302
    assert (
        Feedback.objects.filter(session=session, source=Feedback.Source.PAPER).count()
        == 2
    )
    assert Feedback.objects.get(improve="ຮ້ອນ").recommend is None


def test_one_incomplete_paper_form_saves_none(client_in_english, make_user):
    session = SessionFactory(created_by=make_user("trainer"))

    response = _paper(
        client_in_english("trainer"),
        session,
        [
            {"relevance": "5", "trainer": "5", "materials": "4"},
            {"relevance": "3", "improve": "ຂາດຄະແນນ"},
        ],
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "nothing was saved" in content
    assert "ຂາດຄະແນນ" in content
    assert not Feedback.objects.exists()


def test_paper_forms_in_an_approved_period_are_refused(client_in_english, make_user):
    session = SessionFactory(created_by=make_user("trainer"))
    period_approve(
        district=session.district,
        kind=PeriodApproval.Kind.MONTH,
        year=session.starts_on.year,
        number=session.starts_on.month,
        by=make_user("manager"),
    )

    response = _paper(
        client_in_english("trainer"),
        session,
        [{"relevance": "5", "trainer": "5", "materials": "4"}],
    )

    assert response.status_code == 200
    assert "is approved" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_manager_cannot_type_in_paper_forms(client_in_english, make_user):
    session = SessionFactory(created_by=make_user("trainer"))

    response = client_in_english("manager").get(
        reverse("feedback_paper", args=[session.pk])
    )

    assert response.status_code in (302, 403)
    assert not Feedback.objects.exists()


def _upload(client, session, rows, name="forms.xlsx"):
    from common.sheets import rows_to_xlsx
    from feedback.sheets import COLUMNS

    upload = io.BytesIO(
        rows_to_xlsx([[column.header for column in COLUMNS], *rows], title="x")
    )
    upload.name = name
    return client.post(
        reverse("feedback_paper_import", args=[session.pk]), {"file": upload}
    )


def test_the_paper_page_offers_the_template_and_the_upload(
    client_in_english, make_user
):
    session = SessionFactory(created_by=make_user("trainer"))
    client = client_in_english("trainer")

    page = client.get(reverse("feedback_paper", args=[session.pk])).content.decode()
    template = client.get(reverse("feedback_paper_template", args=[session.pk]))

    assert reverse("feedback_paper_template", args=[session.pk]) in page
    assert 'data-testid="paper-sheet-upload"' in page
    assert template.status_code == 200
    assert template["Content-Disposition"].endswith('-feedback.xlsx"')


def test_an_uploaded_sheet_is_previewed_then_saved_on_confirmation(
    client_in_english, make_user
):
    session = SessionFactory(created_by=make_user("trainer"))
    client = client_in_english("trainer")

    preview = _upload(client, session, [[5, 4, 3, "yes", "ຫ້ອງຮ້ອນ"], [2, 2, 2]])

    content = preview.content.decode()
    assert 'data-testid="import-preview"' in content
    assert "2 paper forms will be saved." in content
    assert "ຫ້ອງຮ້ອນ" in content
    assert not Feedback.objects.exists()
    token = content.split('name="token" value="')[1].split('"')[0]

    confirmed = client.post(
        reverse("feedback_paper_import", args=[session.pk]),
        {"token": token, "confirm": "1"},
    )
    again = client.post(
        reverse("feedback_paper_import", args=[session.pk]),
        {"token": token, "confirm": "1"},
    )

    assert confirmed.status_code == 302
    assert Feedback.objects.filter(session=session).count() == 2
    assert again.status_code == 302  # the preview was taken: nothing saved twice
    assert Feedback.objects.count() == 2


def test_a_wrong_sheet_lists_its_errors_and_keeps_no_preview(
    client_in_english, make_user
):
    session = SessionFactory(created_by=make_user("trainer"))

    response = _upload(client_in_english("trainer"), session, [[5, 5, 5], [5, 9, 5]])

    content = response.content.decode()
    assert 'data-testid="import-errors"' in content
    assert "<td>3</td><td>Trainer (1-5)" in content
    assert 'name="token"' not in content
    assert not Feedback.objects.exists()


def test_a_preview_belongs_to_its_session(client_in_english, make_user):
    trainer = make_user("trainer")
    session, other = (
        SessionFactory(created_by=trainer),
        SessionFactory(created_by=trainer),
    )
    client = client_in_english("trainer")
    content = _upload(client, session, [[5, 5, 5]]).content.decode()
    token = content.split('name="token" value="')[1].split('"')[0]

    client.post(
        reverse("feedback_paper_import", args=[other.pk]),
        {"token": token, "confirm": "1"},
    )

    assert not Feedback.objects.exists()


def test_a_manager_cannot_import_paper_forms(client_in_english, make_user):
    session = SessionFactory(created_by=make_user("trainer"))
    client = client_in_english("manager")

    upload = _upload(client, session, [[5, 5, 5]])
    template = client.get(reverse("feedback_paper_template", args=[session.pk]))

    assert upload.status_code in (302, 403)
    assert template.status_code in (302, 403)
    assert not Feedback.objects.exists()
