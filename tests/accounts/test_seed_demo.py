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


def test_the_masters_is_at_mahidol_university_without_a_lao_district(settings):
    """The outcome report: 3 officials, Master's degree on Social Health Protection
    and primary health care management at Mahidol University, ILO lectures and
    international experts."""
    from reports.filters import ReportFilters
    from reports.selectors import trained_abroad
    from trainings.models import Session, StudyStatus

    seed(settings)

    masters = Session.objects.get(course__kind="long_programme")
    assert (masters.institution, masters.country, masters.district) == (
        "Mahidol University",
        "TH",
        None,
    )
    assert "Social Health Protection" in masters.course.title_en
    assert "international experts" in masters.course.objectives
    assert [funder.name for funder in masters.funders.all()] == [
        "International Labour Organization (ILO)"
    ]
    enrolments = list(masters.enrolments.all())
    assert len(enrolments) == 3
    assert {e.study_status for e in enrolments} == {StudyStatus.GRADUATED}
    assert all(e.returned_on and e.return_position for e in enrolments)
    [line] = trained_abroad(ReportFilters())
    assert line.label == "Abroad: Mahidol University, Thailand"
    assert (line.counts.total, line.counts.women, line.counts.men) == (3, 1, 2)
