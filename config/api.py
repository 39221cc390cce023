"""API v1 router: each app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from places.api import DistrictViewSet, ProvinceViewSet

router = DefaultRouter()
router.register("provinces", ProvinceViewSet, basename="province")
router.register("districts", DistrictViewSet, basename="district")

api_urlpatterns = [path("", include(router.urls))]


def only_api_v1(endpoints):
    """Keep Wagtail's internal admin API out of the public schema."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
