"""Who may use the portal, and what every portal view does first."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from access import policy


def is_portal_user(user) -> bool:
    """The Promoters role, or an active promoter record behind the account."""
    if not user.is_authenticated:
        return False
    return policy.is_promoter(user)


def wants_json(request) -> bool:
    """The offline queue asks for JSON; a browser without JavaScript never does."""
    return request.headers.get("Accept", "").startswith("application/json")


def portal_view(view):
    """Sign-in required (JSON callers get 401, not the sign-in page); non-promoters
    get a page saying what the portal is for. Every portal page is personal (a name,
    meetings, certificates): ``no-store``, so neither the browser nor the service
    worker keeps it for the next person on a shared phone."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            if wants_json(request):
                response = JsonResponse(
                    {"status": "signed_out", "message": _("Sign in again.")},
                    status=401,
                )
            else:
                response = redirect_to_login(
                    request.get_full_path(), reverse("portal:login")
                )
        elif not is_portal_user(user):
            response = TemplateResponse(
                request, "promoters/portal/not_a_promoter.html", status=403
            )
        else:
            request.promoter = policy.promoter_of(user)
            response = view(request, *args, **kwargs)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    return wrapper
