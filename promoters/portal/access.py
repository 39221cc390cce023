"""Who may use the portal, and what every portal view does first."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
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


def offline_owner(user) -> str:
    """Who a portal page belongs to, for the service worker: opaque, stable per
    account."""
    return salted_hmac("suksa.portal.offline-owner", str(user.pk)).hexdigest()[:24]


def portal_view(view):
    """Sign-in required (JSON callers get 401, not the sign-in page); non-promoters
    get a page saying what the portal is for. Every portal page is personal (a name,
    meetings, certificates): ``no-store``, so the browser never keeps it for the next
    person on a shared phone. ``Suksa-Owner`` tells the service worker whose pages
    these are: when it changes (or is empty: signed out), it drops what it kept for
    the previous owner (see ``kept_offline``)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        owner = ""  # nobody's pages: the worker drops what it kept
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
            owner = offline_owner(user)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        response["Suksa-Owner"] = owner
        return response

    return wrapper


def kept_offline(view):
    """A portal page its owner may read offline after one visit (My meetings, My
    certificates): the service worker keeps it for ``Suksa-Owner`` until the sign-in
    would have expired (``Suksa-Keep-Until``, Unix seconds), and drops it on sign-out
    or when someone else signs in on the phone. Goes inside ``portal_view``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            until = request.session.get_expiry_date()
            response["Suksa-Keep-Until"] = str(int(until.timestamp()))
        return response

    return wrapper
