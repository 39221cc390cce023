"""The portal's After my training: a promoter who was a trainee answers their own
follow-ups (issue 18, item 2)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PersonFactory, PromoterFactory, SessionFactory, UserFactory
from trainings.models import Enrolment, TraineeFollowUp
from trainings.services import enrolment_add

pytestmark = pytest.mark.django_db
LAO = re.compile(r"[\u0e80-\u0eff]")


def url(name: str, **kwargs) -> str:
    with translation.override("lo"):
        return reverse(name, kwargs=kwargs or None)


def _follow_up(person, months=3, due_on=datetime.date(2022, 9, 16)):
    session = SessionFactory()
    enrolment, _made = enrolment_add(session=session, person=person)
    Enrolment.objects.filter(pk=enrolment.pk).update(status="completed")
    return TraineeFollowUp.objects.create(
        enrolment=enrolment, months=months, due_on=due_on
    )


@pytest.fixture
def promoter():
    user = UserFactory(username="phet", role="Promoters")
    return PromoterFactory(person=PersonFactory(full_name="ທ້າວ ເພັດ", user=user))


@pytest.fixture
def promoter_client(client, promoter):
    client.force_login(promoter.person.user)
    return client


def test_the_list_shows_only_the_promoters_own_follow_ups_in_lao(
    promoter_client, promoter
):
    mine = _follow_up(promoter.person)
    _follow_up(PersonFactory())

    page = promoter_client.get(url("portal:follow-ups"))

    assert page.status_code == 200
    html = page.content.decode()
    assert url("portal:follow-up-answer", pk=mine.pk) in html
    assert len(re.findall(r'href="/lo/portal/follow-ups/\d+/"', html)) == 1
    assert LAO.search(html)
    home = promoter_client.get(url("portal:home")).content.decode()
    assert url("portal:follow-ups") in home


def test_the_promoter_answers_and_is_recorded_as_who_answered(
    promoter_client, promoter
):
    follow_up = _follow_up(promoter.person)

    response = promoter_client.post(
        url("portal:follow-up-answer", pk=follow_up.pk),
        {
            "used_learning": "yes",
            "people_trained": "8",
            "meetings_led": "2",
            "people_registered": "3",
            "comment": "ໄດ້ຝຶກອົບຮົມຊາວບ້ານ",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("portal:follow-ups")
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert (follow_up.people_trained, follow_up.meetings_led) == (8, 2)
    assert follow_up.recorded_by == promoter.person.user


def test_a_missing_answer_is_said_in_lao_beside_the_question(promoter_client, promoter):
    follow_up = _follow_up(promoter.person)

    response = promoter_client.post(
        url("portal:follow-up-answer", pk=follow_up.pk),
        {"used_learning": "", "people_trained": "-1"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_used_learning_error"' in html
    assert 'id="id_people_trained_error"' in html
    assert LAO.search(html)
    follow_up.refresh_from_db()
    assert follow_up.status == "due"


def test_someone_elses_follow_up_is_not_found(promoter_client):
    other = _follow_up(PersonFactory())

    response = promoter_client.get(url("portal:follow-up-answer", pk=other.pk))

    assert response.status_code == 404


def test_with_nothing_to_answer_the_page_says_so(promoter_client):
    html = promoter_client.get(url("portal:follow-ups")).content.decode()

    assert 'class="empty-state"' in html
