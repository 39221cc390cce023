"""``Authorization: Token <key>`` for the API, checked by ``accounts.tokens``."""

from django.core.exceptions import PermissionDenied
from rest_framework import authentication, exceptions


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """DRF's header format, with hashed, expiring keys that respect two-step sign-in.

    A refused key answers 401 with the reason (expired, no second factor …)."""

    def authenticate_credentials(self, key):
        from .tokens import token_authenticate

        try:
            return token_authenticate(key)
        except PermissionDenied as error:
            raise exceptions.AuthenticationFailed(str(error)) from None
