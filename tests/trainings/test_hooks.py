"""The session page, session API and trainer roster get what higher apps own through
hooks (trainings/hooks.py): each is registered, by its owner."""

from certificates.wagtail_hooks import session_page_certificates
from feedback.selectors import sessions_feedback_counts
from feedback.wagtail_hooks import session_page_feedback
from reports.selectors import sessions_impact, trainers_reach
from trainings import hooks


def test_each_figure_comes_from_its_owner():
    assert hooks.provider(hooks.SESSIONS_IMPACT) is sessions_impact
    assert hooks.provider(hooks.TRAINERS_REACH) is trainers_reach
    assert hooks.provider(hooks.SESSIONS_FEEDBACK_COUNTS) is sessions_feedback_counts


def test_the_session_page_has_the_certificates_and_feedback_sections():
    sections = hooks.registered(hooks.SESSION_PAGE)

    assert session_page_certificates in sections
    assert session_page_feedback in sections
