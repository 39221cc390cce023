"""Past trainings known only as totals by gender: the services and who may do what
(``trainings.services``, ``access.policy``) and the admin list and form."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from access import policy
from tests.factories import DistrictFactory, DistrictOfficeFactory
from trainings.models import HistoricalTraining
from trainings.services import (
    historical_training_delete,
    historical_training_record,
    historical_training_update,
)

pytestmark = pytest.mark.django_db

LIST = "/admin/historical_trainings/"


def record(user, **fields) -> HistoricalTraining:
    values = {
        "title": "Orientation for employers",
        "starts_on": datetime.date(2019, 3, 12),
        "ends_on": datetime.date(2019, 3, 13),
        "district": DistrictFactory(),
        "women": 14,
        "men": 21,
        "source": "Paper register 2019, page 14",
        **fields,
    }
    return historical_training_record(user=user, **values)


def test_a_trainer_records_one_and_only_they_and_administrators_change_it(make_user):
    trainer, trainer2 = make_user("trainer"), make_user("trainer2")

    training = record(trainer)

    assert training.recorded_by == trainer
    assert training.counts.total == 35
    assert str(training) == "Orientation for employers · 12/03/2019"
    with pytest.raises(ValidationError, match="You may not change this record."):
        historical_training_update(training=training, user=trainer2, women=1)
    updated = historical_training_update(training=training, user=trainer, women=15)
    assert updated.women == 15
    historical_training_delete(training=training, user=trainer)
    assert not HistoricalTraining.objects.exists()


def test_managers_read_and_officers_read_their_districts_only(make_user, admin_user):
    office = DistrictOfficeFactory(officers=[make_user("officer")])
    theirs = record(admin_user, district=office.district)
    elsewhere = record(admin_user)
    manager, officer = make_user("manager"), make_user("officer")

    assert set(policy.historical_trainings_visible(manager)) == {theirs, elsewhere}
    assert list(policy.historical_trainings_visible(officer)) == [theirs]
    assert not policy.historical_trainings_changeable(manager).exists()
    assert not policy.historical_trainings_changeable(officer).exists()
    assert set(policy.historical_trainings_changeable(admin_user)) == {
        theirs,
        elsewhere,
    }
    with pytest.raises(ValidationError, match="may not record"):
        record(manager)
    assert not policy.historical_trainings_visible(make_user("editor")).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": " "}, "title", "Choose the course, or write the training's title."),
        ({"women": 0, "men": 0}, "women", "Write how many people were trained"),
        ({"ends_on": datetime.date(2099, 1, 1)}, "ends_on", "in the future"),
        ({"starts_on": datetime.date(1960, 1, 1)}, "starts_on", "check the year"),
        ({"ends_on": datetime.date(2019, 3, 1)}, "__all__", "before the first day"),
        ({"source": ""}, "source", "This field cannot be blank."),
        ({"women": 100_001}, "women", "less than or equal to 100000"),
    ],
)
def test_a_record_that_cannot_be_true_is_refused_on_its_field(
    admin_user, fields, field, message
):
    with pytest.raises(ValidationError) as refusal:
        record(admin_user, **fields)

    assert message in " ".join(refusal.value.message_dict[field])
    assert not HistoricalTraining.objects.exists()


def test_the_admin_lists_and_adds_records_in_lao(client_as, admin_user):
    district = DistrictFactory()
    record(admin_user, district=district)
    client = client_as("trainer")

    listing = client.get(LIST).content.decode()
    response = client.post(
        LIST + "new/",
        {
            "title": "ປະຖົມນິເທດ",
            "starts_on": "2018-05-02",
            "ends_on": "2018-05-03",
            "district": district.pk,
            "women": "3",
            "men": "4",
            "other": "0",
            "not_recorded": "0",
            "source": "Register 2018",
            "note": "",
        },
    )

    assert "ການຝຶກອົບຮົມໃນອະດີດ" in listing
    assert "Orientation for employers" in listing
    assert response.status_code == 302
    added = HistoricalTraining.objects.get(title="ປະຖົມນິເທດ")
    assert added.recorded_by.username == "trainer"
    assert added.counts.total == 7


def test_the_admin_form_shows_a_refusal_on_the_form(client_in_english):
    client = client_in_english("admin")

    response = client.post(
        LIST + "new/",
        {
            "starts_on": "2018-05-02",
            "ends_on": "2018-05-03",
            "district": DistrictFactory().pk,
            "women": "3",
            "men": "0",
            "other": "0",
            "not_recorded": "0",
            "source": "Register 2018",
        },
    )

    assert response.status_code == 200
    assert "Choose the course, or write the training" in response.content.decode()
    assert not HistoricalTraining.objects.exists()


def test_the_inspect_page_shows_a_dash_for_no_course(client_in_english, admin_user):
    training = record(admin_user)

    page = client_in_english("manager").get(f"{LIST}inspect/{training.pk}/")

    assert page.status_code == 200
    values = [str(field["value"]) for field in page.context["fields"]]
    assert values[:2] == ["—", "Orientation for employers"]  # course, title
