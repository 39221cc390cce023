"""What the apps built on trainings add to its pages and its API.

Certificates, feedback and reports build on trainings, yet the session page, the
session API and the trainer roster show what they own (the certificates section,
feedback counts, a ToT's impact, a trainer's reach). Rather than trainings importing
upwards, each of them registers a Wagtail hook under one of these names in its
``wagtail_hooks.py``.
"""

from wagtail import hooks

# fn(request, session) -> dict added to the session page's context; any number.
SESSION_PAGE = "trainings_session_page"
# fn(*, sessions) -> {session pk: TotSummary} for the ToT sessions among them; one.
SESSIONS_IMPACT = "trainings_sessions_impact"
# fn(*, sessions) -> {session pk: feedback forms received}; one.
SESSIONS_FEEDBACK_COUNTS = "trainings_sessions_feedback_counts"
# fn(*, people) -> {person pk: (sessions led, GenderCounts trained downstream)}; one.
TRAINERS_REACH = "trainings_trainers_reach"


def provider(name: str):
    """The one function registered under ``name``."""
    (function,) = hooks.get_hooks(name)
    return function


def registered(name: str) -> list:
    """Every function registered under ``name``."""
    return hooks.get_hooks(name)
