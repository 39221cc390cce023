"""API v1 router: each app registers its viewsets here."""

import re

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from certificates.api import (
    CertificateViewSet,
    EnrolmentCertificateView,
    JobViewSet,
    SessionCertificatesView,
    VerifyView,
)
from people.api import PersonViewSet
from places.api import DistrictViewSet, ProvinceViewSet
from trainings.api import (
    AttendanceViewSet,
    CourseViewSet,
    EnrolmentViewSet,
    SessionViewSet,
    TrainedReportView,
)


class Router(DefaultRouter):
    """Serves an action named like a file ("sheet.xlsx") at exactly that name, with
    no trailing slash and the dot meaning a dot."""

    def _get_dynamic_route(self, route, action):
        dynamic = super()._get_dynamic_route(route, action)
        if "." not in action.url_path:
            return dynamic
        url = route.url.replace("{url_path}", re.escape(action.url_path))
        return dynamic._replace(url=url.replace("{trailing_slash}", ""))


router = Router()
router.register("provinces", ProvinceViewSet, basename="province")
router.register("districts", DistrictViewSet, basename="district")
router.register("people", PersonViewSet, basename="person")
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("jobs", JobViewSet, basename="job")

api_urlpatterns = [
    path("reports/trained/", TrainedReportView.as_view(), name="report-trained"),
    path(
        "sessions/<int:pk>/certificates/",
        SessionCertificatesView.as_view(),
        name="session-certificates",
    ),
    path(
        "enrolments/<int:pk>/certificate/",
        EnrolmentCertificateView.as_view(),
        name="enrolment-certificate",
    ),
    path("verify/<str:code>/", VerifyView.as_view(), name="verify"),
    path("", include(router.urls)),
]


def only_api_v1(endpoints):
    """Keep Wagtail's internal admin API out of the public schema."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
