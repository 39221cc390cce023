"""The demo's LAO226-EU indicators: targets for 2023 and 2024, and the 2023
results the outcome report states (issue 17, item 6)."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from operations.demo import demo_seed
from projects.demo import EU_PROJECT
from projects.models import Project
from reports.results import project_results
from tests.conftest import DEMO_PASSWORD

# Seeding the demo takes seconds: `-m "not slow"` leaves these out of a quick run.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.usefixtures("demo_seeded"),
]


def test_seeding_the_demo_again_does_not_double_the_targets():
    demo_seed(password=DEMO_PASSWORD)  # the demo is seeded already (demo_seeded)
    project = Project.objects.get(code=EU_PROJECT)

    assert project.indicators.count() == 8
    assert all(i.targets.count() == 2 for i in project.indicators.all())


def test_the_demo_project_has_targets_and_results():
    project = Project.objects.get(code=EU_PROJECT)
    manager = get_user_model().objects.get(username="manager")

    lines = project_results(
        project=project,
        user=manager,
        date_from=datetime.date(2023, 1, 1),
        date_to=datetime.date(2023, 12, 31),
    )
    by_code = {line.indicator.code: line for line in lines}

    assert project.indicators.count() == 8
    assert all(i.targets.count() == 2 for i in project.indicators.all())
    # Four information centres set up in May 2023; the Paksong office opened.
    assert (by_code["3.1"].actual, by_code["3.1"].target) == (4, 4)
    assert by_code["3.1"].percent == 100.0
    assert (by_code["3.2"].actual, by_code["3.2"].target) == (1, 1)
    # 22 % of the turnout at the pilot's mobile drives registered (target 20 %).
    assert (by_code["2.2"].actual, by_code["2.2"].target) == (22.0, 20)
    assert by_code["1.1"].by_gender
    tot_2022 = project_results(
        project=project,
        user=manager,
        date_from=datetime.date(2022, 1, 1),
        date_to=datetime.date(2022, 12, 31),
    )
    graduates = next(line for line in tot_2022 if line.indicator.code == "1.3")
    assert graduates.actual.as_dict() == {
        "total": 26,
        "women": 11,
        "men": 15,
        "other": 0,
        "not_recorded": 0,
    }
