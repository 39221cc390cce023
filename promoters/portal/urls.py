from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
    path("materials/", views.materials, name="materials"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_record_view, name="meeting-record"),
    path("certificates/", views.certificates, name="certificates"),
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("follow-ups/<int:pk>/", views.follow_up_answer, name="follow-up-answer"),
    path(
        "certificates/<int:pk>/pdf/",
        views.certificate_download,
        name="certificate-pdf",
    ),
]
