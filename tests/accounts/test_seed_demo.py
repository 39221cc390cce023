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


def test_the_june_2022_tot_shows_a_learning_gain_and_feedback(settings):
    from feedback.models import Feedback
    from feedback.selectors import feedback_comments, feedback_summary
    from trainings.models import Session
    from trainings.selectors import session_learning

    seed(settings)
    seed(settings)  # idempotent: the forms are not added twice

    session = Session.objects.get(code="TOT-2022-001")
    learning = session_learning(session=session)["total"]
    forms = Feedback.objects.filter(session=session)
    summary = feedback_summary(feedback=forms)
    assert learning.scored == 26
    assert learning.gain_mean > 20
    assert learning.improved_share == 1.0
    assert summary.count == 20  # 20 of its 26 participants
    assert summary.means["relevance"] >= 4.5
    assert summary.recommend_yes > 10 * summary.recommend_no
    comments = [form.improve for form in feedback_comments(feedback=forms)]
    assert len(comments) >= 3
    assert all("\u0e80" <= comment[0] <= "\u0eff" for comment in comments)  # Lao
    assert {form.created_at.year for form in forms} == {2022}
