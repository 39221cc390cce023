from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from audit.admin_views import site_history_urls
from certificates.views import verify
from cms.views import saved_for_offline, service_worker, web_app_manifest
from feedback.views import feedback_form
from materials.api import api_router as materials_api_router

from .api import api_urlpatterns
from .views import healthz, root_redirect, switch_language

handler400 = "config.views.bad_request"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    *site_history_urls,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("materials/", include("materials.urls")),
    path("api/v2/", materials_api_router.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("language/<str:code>/", switch_language, name="switch_language"),
    path("verify/", verify, name="verify-form"),
    path("verify/<str:code>/", verify, name="verify"),
    path("feedback/<str:token>/", feedback_form, name="feedback_form"),
    path("api/v1/", include((api_urlpatterns, "api"), namespace="api")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", web_app_manifest, name="web_app_manifest"),
    path("", root_redirect, name="root"),
]

if settings.DEBUG:
    from django.urls import re_path

    from .views import debug_media

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", debug_media)]

urlpatterns += i18n_patterns(
    path("saved/", saved_for_offline, name="saved_for_offline"),
    path("portal/", include("promoters.portal.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
