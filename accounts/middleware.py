from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .two_factor import two_factor_pending

# Reachable before the second step: static files, health, language switch, sign-out.
ALWAYS_OPEN = ("/static/", "/media/", "/healthz", "/i18n/", "/language/")
PAGES = {"verify": "accounts_two_factor_verify", "enrol": "accounts_two_factor"}


class TwoFactorMiddleware:
    """A signed-in user who must still give a code can reach nothing else.

    Users with an authenticator app are sent to the code page after the password;
    users whose role requires one (``SUKSA_2FA_REQUIRED_ROLES``) and have none are sent
    to set it up. API calls in such a session get 403 instead of a redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = two_factor_pending(request)
        if pending is None or self._open(request.path_info, pending):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish two-step sign-in in the admin first.")},
                status=403,
            )
        name = (
            "accounts_two_factor_verify"
            if pending == "verify"
            else "accounts_two_factor"
        )
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)

    @staticmethod
    def _open(path: str, pending: str) -> bool:
        allowed = [
            reverse("wagtailadmin_logout"),
            reverse("accounts_two_factor_verify"),
        ]
        if pending == "enrol":
            allowed.append(reverse("accounts_two_factor"))
        return path.startswith(ALWAYS_OPEN) or path in allowed


# The admin pages a promoter may open: the dashboard (it shows them nothing but links
# to their account), their account and signing in and out. The certificate download is
# scoped to the promoter's own certificates by its view.
PROMOTER_ADMIN_PAGES = {
    "wagtailadmin_home",
    "wagtailadmin_account",
    "wagtailadmin_account_notification_preferences",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "accounts_two_factor",
    "accounts_two_factor_verify",
    "certificates:pdf",
}


class PromoterAdminMiddleware:
    """A promoter signs in to the admin only to manage their account.

    Promoters hold ``wagtailadmin.access_admin`` so that they can change their password
    and language there, but Wagtail opens its choosers, its admin API and the site
    history to every admin user. Everything else under /admin/ answers 403 to a user
    whose only role is Promoter, and the dashboard sends them to the portal.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/") and self._promoter_only(
            request.user
        ):
            view_name = self._view_name(request.path_info)
            if view_name == "wagtailadmin_home":
                # Their work is in the portal: a promoter who signed in through the
                # admin's form lands there, not on an empty dashboard.
                return redirect("portal:home")
            if view_name not in PROMOTER_ADMIN_PAGES:
                raise PermissionDenied
        return self.get_response(request)

    @staticmethod
    def _promoter_only(user) -> bool:
        from access.policy import works_in_the_portal_only

        return works_in_the_portal_only(user)

    @staticmethod
    def _view_name(path: str) -> str:
        try:
            return resolve(path).view_name
        except Resolver404:
            return ""


class SignOutMiddleware:
    """Signing out (portal or admin) tells the browser to drop its cached copies.

    ``Clear-Site-Data: "cache"`` empties the HTTP cache of this site, and keeps
    cookies and storage: the meetings that wait on the phone (localStorage) stay for
    their owner. The service worker drops its copies of the portal pages itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "suksa_signed_out", False):
            response["Clear-Site-Data"] = '"cache"'
        return response


def on_logged_out(sender, request=None, **kwargs):
    if request is not None:
        request.suksa_signed_out = True
