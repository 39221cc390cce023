"""The public form at /feedback/<token>/: open, closed, unknown, invalid, floods."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from feedback.services import feedback_link_ensure
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

FILLED = {"relevance": "5", "trainer": "4", "materials": "3", "recommend": "yes"}


def _link(days_ago_started=1, days_ago_ended=0):
    today = timezone.localdate()
    session = SessionFactory(
        starts_on=today - datetime.timedelta(days=days_ago_started),
        ends_on=today - datetime.timedelta(days=days_ago_ended),
    )
    return feedback_link_ensure(session=session)


def _url(link) -> str:
    return reverse("feedback_form", args=[link.token])


def test_the_form_opens_in_lao_by_default_and_names_only_the_course(client):
    link = _link()

    response = client.get(_url(link))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="lo">' in content
    assert "ຄຳຄິດເຫັນຕໍ່ການຝຶກອົບຮົມ" in content  # the Lao catalogue
    assert link.session.course.title in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_sent_form_is_saved_anonymously_and_thanked(client):
    link = _link()

    response = client.post(_url(link), {**FILLED, "improve": "ຫ້ອງຮ້ອນ"})

    assert response.status_code == 302
    assert response["Location"] == f"{_url(link)}?sent=1"
    feedback = Feedback.objects.get()
    assert (feedback.relevance, feedback.trainer, feedback.materials) == (5, 4, 3)
    assert feedback.recommend is True
    assert feedback.source == Feedback.Source.PHONE
    assert feedback.entered_by is None
    thanks = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="feedback-thanks"' in thanks.content.decode()


def test_missing_answers_are_named_and_nothing_is_saved(client):
    link = _link()

    response = client.post(
        _url(link), {"relevance": "5", "improve": "ຂຽນໄວ້"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "ຂຽນໄວ້" in response.content.decode()  # what was typed is kept
    assert response.content.decode().count('class="errorlist"') == 2
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(("started", "ended"), [(-2, -3), (40, 31)])
def test_before_the_session_and_a_month_after_it_the_form_is_closed(
    client, started, ended
):
    link = _link(days_ago_started=started, days_ago_ended=ended)

    shown = client.get(_url(link))
    sent = client.post(_url(link), FILLED)

    assert shown.status_code == sent.status_code == 410
    assert 'data-testid="feedback-closed"' in shown.content.decode()
    assert not Feedback.objects.exists()


def test_an_unknown_token_is_not_found(client):
    _link()

    assert client.get("/feedback/not-a-token/").status_code == 404


def test_the_form_needs_its_csrf_token():
    link = _link()
    client = Client(enforce_csrf_checks=True)

    response = client.post(_url(link), FILLED)

    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_a_flood_from_one_address_is_slowed_down(client, settings):
    settings.SUKSA_FEEDBACK_RATE_PER_MINUTE = 2
    link = _link()

    answers = [
        client.post(_url(link), FILLED, REMOTE_ADDR="10.0.0.9").status_code
        for _ in range(3)
    ]
    other_address = client.post(_url(link), FILLED, REMOTE_ADDR="10.0.0.10")

    assert answers == [302, 302, 429]
    assert other_address.status_code == 302
    assert Feedback.objects.count() == 3


def test_a_flood_to_one_session_is_slowed_down_from_any_address(client, settings):
    settings.SUKSA_FEEDBACK_RATE_PER_SESSION_HOUR = 2
    link = _link()

    answers = [
        client.post(_url(link), FILLED, REMOTE_ADDR=f"10.0.1.{n}").status_code
        for n in range(3)
    ]

    assert answers == [302, 302, 429]
    assert Feedback.objects.count() == 2
