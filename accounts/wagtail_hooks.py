from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from .admin_language import boolean_filters_read_yes_or_no
from .views import TwoFactorManageView, two_factor_verify_view
from .viewsets import api_token_viewset

boolean_filters_read_yes_or_no()


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    # Wagtail registers this viewset only with its v3 API installed; Suksa's API is
    # DRF, which reads the same tokens (accounts.authentication).
    return api_token_viewset


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path(
            "two-factor/",
            TwoFactorManageView.as_view(),
            name="accounts_two_factor",
        ),
        path(
            "two-factor/verify/",
            two_factor_verify_view,
            name="accounts_two_factor_verify",
        ),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("accounts_two_factor"),
        "label": _("Two-step sign-in"),
        "help_text": _(
            "Ask for a code from your phone after the password when you sign in."
        ),
    }
