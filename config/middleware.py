from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

# Paths outside the /lo/ and /en/ public site. Django's LocaleMiddleware would answer a
# 404 there with a redirect to /lo/<path>, which Wagtail's catch-all then "finds".
UNPREFIXED = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/documents/",
    "/healthz",
    "/i18n/",
    "/static/",
    "/media/",
    "/verify/",
)


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            if not request.path_info.startswith("/admin/"):
                # The admin answers in each user's chosen language instead.
                response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
