"""API tokens: Wagtail's ``APIToken`` (only a keyed hash of the key is stored, revoked
tokens are kept for the record), with the rules Suksa adds: tokens expire after
``SUKSA_API_TOKEN_DAYS``, and they are no way around two-step sign-in.

A user in a role that requires two-step sign-in gets a token only from someone who
gave a second factor (an admin session is verified before it can open any page; the
``drf_create_token`` command asks for a code), and a token of such a user is refused
while the user has no confirmed app (a reset phone stops their tokens too).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import APIToken

from .two_factor import two_factor_device, two_factor_required

# A token's last use is written at most this often: not one write per API call.
LAST_USED_PRECISION = timedelta(minutes=5)


def token_lifetime() -> timedelta:
    return timedelta(days=settings.SUKSA_API_TOKEN_DAYS)


def token_expires_at(token: APIToken):
    return token.created + token_lifetime()


def token_needs_second_factor(user) -> bool:
    return two_factor_required(user) or two_factor_device(user) is not None


def _second_factor_missing(user) -> bool:
    return two_factor_required(user) and two_factor_device(user) is None


@transaction.atomic
def token_create(*, user, name: str, second_factor: bool) -> tuple[APIToken, str]:
    """A new token for ``user``; returns it and its key, shown once, kept nowhere.

    ``second_factor``: whoever asked gave a two-step code in this session or command.
    """
    if _second_factor_missing(user):
        raise ValidationError(
            _(
                "This account's role requires two-step sign-in: set it up before "
                "making an API token."
            )
        )
    if token_needs_second_factor(user) and not second_factor:
        raise ValidationError(
            _("Give a code from the authenticator app before making an API token.")
        )
    return APIToken.create_token(user=user, name=name.strip()[:255])


def tokens_revoke_all(*, user) -> int:
    """Revoke every token of ``user`` (kept, marked revoked); returns how many."""
    return APIToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_authenticate(key: str):
    """The user a key acts for, and the token; ``PermissionDenied`` with a reason."""
    token = (
        APIToken.objects.select_related("user")
        .filter(
            key_hash__in=APIToken.candidate_key_hashes(key), revoked_at__isnull=True
        )
        .first()
    )
    if token is None or not token.user.is_active:
        raise PermissionDenied(_("Invalid token."))
    now = timezone.now()
    if token_expires_at(token) <= now:
        raise PermissionDenied(
            _("This token has expired. Make a new one under API tokens in the admin.")
        )
    if _second_factor_missing(token.user):
        raise PermissionDenied(
            _(
                "This account's role requires two-step sign-in and it is not set up: "
                "its API tokens work again once it is."
            )
        )
    if token.last_used_at is None or token.last_used_at + LAST_USED_PRECISION < now:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
