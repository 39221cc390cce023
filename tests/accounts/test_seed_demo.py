import datetime
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


def test_the_tot_graduates_are_followed_up_at_3_and_6_months(settings):
    from trainings.demo import TOT_TITLE_EN
    from trainings.models import TraineeFollowUp
    from trainings.selectors import trainee_follow_ups_summary

    seed(settings)
    seed(settings)

    follow_ups = TraineeFollowUp.objects.filter(
        enrolment__session__course__title_en=TOT_TITLE_EN
    )
    assert follow_ups.count() == 52  # 26 graduates, at 3 and at 6 months
    assert set(follow_ups.values_list("due_on", flat=True)) == {
        datetime.date(2022, 9, 16),
        datetime.date(2022, 12, 16),
    }
    summary = trainee_follow_ups_summary(follow_ups=follow_ups)
    assert (summary.due, summary.done, summary.unreachable) == (52, 45, 7)
    assert summary.overdue == 0
    assert summary.used_yes > summary.used_partly > summary.used_no > 0
    # The three who led the two village sessions trained 9 people each.
    assert summary.people_trained == 3 * 9 * 2
    assert summary.meetings_led == 4
    assert not follow_ups.filter(recorded_by__isnull=True).exists()
    phet = follow_ups.filter(enrolment__person__user__username="promoter")
    assert phet.count() == 2
