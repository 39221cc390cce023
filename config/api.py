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
from projects.api import ProjectViewSet
from promoters.api import (
    CentreViewSet,
    CentreVisitViewSet,
    MeetingViewSet,
    OfficeViewSet,
    PromoterViewSet,
)
from reports.api import (
    CascadeReportView,
    CoverageReportView,
    FollowUpReportView,
    LearningReportView,
    OutcomeReportView,
    OutreachReportView,
    ProjectResultsView,
    TotReportView,
    TrainedReportView,
)
from trainings.api import (
    AttendanceViewSet,
    CourseViewSet,
    EnrolmentViewSet,
    SessionViewSet,
)


class Router(DefaultRouter):
    """Serves an action named like a file ("sheet.xlsx") at exactly that name, with
    no trailing slash and the dot meaning a dot.

    No ``.json`` format suffixes: the API speaks JSON (``Accept`` chooses otherwise),
    and the suffix routes made custom actions answer 500 ("mine.json").
    """

    include_format_suffixes = False

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
router.register("promoters", PromoterViewSet, basename="promoter")
router.register("offices", OfficeViewSet, basename="office")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("centres", CentreViewSet, basename="centre")
router.register("centre-visits", CentreVisitViewSet, basename="centre-visit")
router.register("projects", ProjectViewSet, basename="project")

api_urlpatterns = [
    path("reports/trained/", TrainedReportView.as_view(), name="report-trained"),
    path("reports/tot/", TotReportView.as_view(), name="report-tot"),
    path(
        "reports/follow-ups/",
        FollowUpReportView.as_view(),
        name="report-follow-ups",
    ),
    path("reports/outreach/", OutreachReportView.as_view(), name="report-outreach"),
    path("reports/outcome/", OutcomeReportView.as_view(), name="report-outcome"),
    path("reports/coverage/", CoverageReportView.as_view(), name="report-coverage"),
    path("reports/learning/", LearningReportView.as_view(), name="report-learning"),
    path(
        "reports/cascade/<int:session_id>/",
        CascadeReportView.as_view(),
        name="report-cascade",
    ),
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
    path(
        "projects/<int:pk>/results/",
        ProjectResultsView.as_view(),
        name="project-results",
    ),
    path("", include(router.urls)),
]


def only_api_v1(endpoints):
    """Keep Wagtail's internal admin API out of the public schema."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
