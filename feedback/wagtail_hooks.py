from django.urls import path
from wagtail import hooks

from .admin_views import (
    PaperFeedbackView,
    PaperSheetImportView,
    feedback_qr,
    paper_sheet_template,
)


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
