"""The pieces that make the public site installable and readable offline.

The service worker is served from ``/sw.js`` (not ``/static/``) so that its scope is the
whole site; the manifest from ``/manifest.webmanifest``. Both are small and rendered
per request so that they carry the current static file names.
"""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.http import require_GET

# Paths the service worker never answers from a cache, nor stores.
NEVER_CACHED = ("/admin/", "/django-admin/", "/api/", "/i18n/", "/language/")


# Personal pages the worker keeps for their owner to read offline (see
# promoters.portal.access.kept_offline), with the name the offline answer links them by.
KEPT_OFFLINE = (
    ("portal:meetings", gettext_lazy("My meetings")),
    ("portal:certificates", gettext_lazy("My certificates")),
)


@cache
def service_worker_version() -> str:
    """Changes whenever the worker's code or the static files' names change."""
    source = "".join(
        get_template(name).template.source for name in ("cms/sw.js", "cms/offline.html")
    )
    names = "".join(static(name) for name in ("css/site.css", "js/offline.js"))
    return hashlib.sha256((source + names).encode()).hexdigest()[:12]


def _offline_answer(code: str) -> dict:
    """The page the worker answers with, in language ``code``, when it has no copy;
    ``{KEPT}`` in it becomes links to the personal pages it does have."""
    with override(code):
        page = render_to_string(
            "cms/offline.html",
            {"code": code, "saved_url": reverse("saved_for_offline")},
        )
        kept = {reverse(name): str(label) for name, label in KEPT_OFFLINE}
    return {"page": page, "kept": kept}


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    offline = {code: _offline_answer(code) for code, _name in settings.LANGUAGES}
    context = {
        "version": service_worker_version(),
        "never_cached": json.dumps(NEVER_CACHED),
        "offline": json.dumps(offline, ensure_ascii=False),
        "default_language": json.dumps(settings.LANGUAGE_CODE),
    }
    response = HttpResponse(
        render_to_string("cms/sw.js", context, request=request),
        content_type="text/javascript; charset=utf-8",
    )
    # Browsers check for a new worker at least daily; no-cache makes every check real.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_app_manifest(request: HttpRequest) -> HttpResponse:
    manifest = {
        "name": _("Suksa: training and materials"),
        "short_name": _("Suksa"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1b4f8a",
        "icons": [
            _icon("img/icon-192.png", "192x192"),
            _icon("img/icon-512.png", "512x512"),
            _icon("img/icon-maskable-512.png", "512x512", purpose="maskable"),
        ],
    }
    response = HttpResponse(
        json.dumps(manifest, ensure_ascii=False),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = "max-age=86400"
    return response


def _icon(name: str, sizes: str, purpose: str = "any") -> dict[str, str]:
    return {
        "src": static(name),
        "sizes": sizes,
        "type": "image/png",
        "purpose": purpose,
    }


@require_GET
def saved_for_offline(request: HttpRequest) -> HttpResponse:
    """The list of pages and files kept on this phone; the browser fills it in."""
    return render(request, "cms/saved_for_offline.html")
