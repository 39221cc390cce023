import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from common.languages import chosen_language
from common.uploads import UploadTooLarge

from .health import broker_status, database_status, worker_status


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The database and the broker; with ``?deep=1`` also a worker's round trip."""
    unknown = sorted(set(request.GET) - {"deep"})
    if unknown or request.GET.get("deep", "1") not in ("0", "1"):
        return JsonResponse(
            {"detail": "Unknown query parameter.", "accepted": {"deep": ["0", "1"]}},
            status=400,
        )
    checks = {"database": database_status(), "broker": broker_status()}
    if request.GET.get("deep") == "1":
        checks["worker"] = worker_status()
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def root_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """Send ``/`` to the visitor's chosen language, Lao unless they chose otherwise."""
    return HttpResponseRedirect(f"/{chosen_language(request)}/")


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Remember a language for pages without a /lo/ or /en/ prefix (e.g. /verify/)."""
    if code not in {language for language, _name in settings.LANGUAGES}:
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response


# What /media/ may serve in DEBUG: Wagtail's images. Everything else stored there
# (material documents, certificates and their batches, photos of signed sheets, import
# previews) is served by a view that checks who may see it, or not at all.
DEBUG_PUBLIC_MEDIA = ("images/", "original_images/")


@require_GET
def debug_media(request: HttpRequest, path: str):
    """``/media/`` in DEBUG, images only. The path is normalised first, so
    ``/media//documents/…`` or ``/media/images/../documents/…`` is not an image."""
    normalised = posixpath.normpath("/" + path.replace("\\", "/")).lstrip("/")
    if not normalised.startswith(DEBUG_PUBLIC_MEDIA):
        raise Http404
    return serve(request, normalised, document_root=settings.MEDIA_ROOT)


def bad_request(request: HttpRequest, exception=None):
    """400 page: an upload refused by size says the limit, in the API as JSON."""
    message = str(exception) if isinstance(exception, UploadTooLarge) else ""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message or "Bad request."}, status=400)
    return render(request, "400.html", {"message": message}, status=400)
