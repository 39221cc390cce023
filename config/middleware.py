import secrets

from django.conf import settings
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
    "/feedback/",
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


# The Wagtail admin, Django admin, DRF's browsable API and Swagger UI carry inline
# scripts and style attributes in their own templates; they get a policy of their own.
ADMIN_PATHS = ("/admin/", "/django-admin/", "/api/")


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(
        f"{name} {' '.join(values)}" for name, values in directives.items()
    )


def content_security_policy(path: str, nonce: str) -> str:
    """The public site and the portal allow no inline code except with the nonce."""
    media = list(getattr(settings, "SUKSA_CSP_MEDIA_ORIGINS", []))
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", f"'nonce-{nonce}'"],
        "style-src": ["'self'", f"'nonce-{nonce}'"],
        "img-src": ["'self'", "data:", "blob:", *media],
        "media-src": ["'self'", *media],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *getattr(settings, "SUKSA_CSP_FRAME_ORIGINS", [])],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
    if path.startswith(ADMIN_PATHS):
        directives["script-src"] = ["'self'", "'unsafe-inline'"]
        directives["style-src"] = ["'self'", "'unsafe-inline'"]
    return _policy(directives)


class SecurityHeadersMiddleware:
    """Content-Security-Policy with a per-request nonce, and a Permissions-Policy.

    Templates give an inline ``<script>`` or ``<style>`` the nonce as
    ``nonce="{{ request.csp_nonce }}"``; anything else inline is refused by browsers
    on the public site and the portal. HSTS, secure cookies, the referrer policy and
    nosniff come from Django's SecurityMiddleware (config/settings/production.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            content_security_policy(request.path_info, request.csp_nonce),
        )
        response.headers.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)",
        )
        return response
