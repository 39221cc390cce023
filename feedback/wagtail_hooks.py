from django.urls import path
from wagtail import hooks

from trainings import hooks as training_hooks

from .admin_views import (
    PaperFeedbackView,
    PaperSheetImportView,
    feedback_qr,
    paper_sheet_template,
    session_feedback_section,
)
from .selectors import sessions_feedback_counts


@hooks.register("register_admin_urls")
def register_feedback_urls():
    return [
        path(
            "feedback/session/<str:pk>/paper/",
            PaperFeedbackView.as_view(),
            name="feedback_paper",
        ),
        path(
            "feedback/session/<str:pk>/paper/import/",
            PaperSheetImportView.as_view(),
            name="feedback_paper_import",
        ),
        path(
            "feedback/session/<str:pk>/paper/template.xlsx",
            paper_sheet_template,
            name="feedback_paper_template",
        ),
        path("feedback/session/<str:pk>/qr/", feedback_qr, name="feedback_qr"),
    ]


@hooks.register(training_hooks.SESSION_PAGE)
def session_page_feedback(request, session):
    return {"feedback_section": session_feedback_section(request, session)}


hooks.register(training_hooks.SESSIONS_FEEDBACK_COUNTS, sessions_feedback_counts)
