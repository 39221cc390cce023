from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

# Seeding the demo takes seconds: `-m "not slow"` leaves these out of a quick run.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DEMO_USERNAMES = {
    "admin",
    "editor",
    "trainer",
    "trainer2",
    "manager",
    "officer",
    "promoter",
}


def seed(settings, *args) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--password", "demo-pass", *args, stdout=out)
    return out.getvalue()


def test_creates_one_user_per_role_and_prints_the_logins(settings):
    output = seed(settings)

    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
    assert users.count() == 7
    for username in DEMO_USERNAMES:
        assert authenticate(username=username, password="demo-pass") is not None
        assert username in output
    assert get_user_model().objects.get(username="admin").is_superuser


def test_is_idempotent(settings):
    seed(settings)
    seed(settings)

    assert get_user_model().objects.filter(username__in=DEMO_USERNAMES).count() == 7


def test_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo", "--password", "demo-pass")

    call_command("seed_demo", "--password", "demo-pass", "--force", stdout=StringIO())
    assert get_user_model().objects.filter(username="manager").exists()


@pytest.mark.parametrize("username", sorted(DEMO_USERNAMES))
def test_each_demo_user_can_sign_in_to_the_admin(client, settings, username):
    seed(settings)

    response = client.post(
        "/admin/login/", {"username": username, "password": "demo-pass"}, follow=True
    )

    assert response.status_code == 200
    assert response.wsgi_request.user.username == username
    # A promoter's work is in the portal; the admin's dashboard sends them there.
    expected = "/lo/portal/" if username == "promoter" else "/admin/"
    assert response.redirect_chain[-1][0] == expected


def test_the_past_is_dated_as_it_was(settings):
    """The 2022 ToT's certificates count in 2022, none in this year; the 2019 paper
    record adds to the totals as an aggregate and leaves 2022 as the ILO report has
    it."""
    import datetime

    from django.utils import timezone

    from reports import selectors
    from reports.filters import ReportFilters
    from trainings.models import HistoricalTraining

    seed(settings)

    def year(number: int) -> ReportFilters:
        return ReportFilters(
            date_from=datetime.date(number, 1, 1), date_to=datetime.date(number, 12, 31)
        )

    this_year = timezone.localdate().year
    issued_2022 = selectors.certificate_summary(year(2022)).issued
    # 26 graduates, a re-issue after a misspelt name, a new one for a lost copy
    assert issued_2022.total == 28
    assert (issued_2022.women, issued_2022.men) == (12, 16)
    assert selectors.certificate_summary(year(this_year)).issued.total == 0
    history = HistoricalTraining.objects.get()
    assert history.ends_on.year == 2019
    assert "Demo history" in history.source
    assert selectors.aggregate_total(year(2019)).total == 35
    assert selectors.aggregate_total(year(2022)).total == 0
    assert selectors.tot_summary(year(2022)).graduates.total == 26
