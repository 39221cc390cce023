from django.urls import path
from wagtail import hooks

from .admin_views import PaperFeedbackView, feedback_qr


@hooks.register("register_admin_urls")
def register_feedback_urls():
    return [
        path(
            "feedback/session/<str:pk>/paper/",
            PaperFeedbackView.as_view(),
            name="feedback_paper",
        ),
        path("feedback/session/<str:pk>/qr/", feedback_qr, name="feedback_qr"),
    ]
