"""Lockout after repeated failed sign-ins, for every way of signing in.

Failures are counted per username *and* client address together, because many rural
users reach Suksa through one carrier address and one person's typos must not lock out
a province; a higher cap per username alone stops a guesser who changes addresses.
After a lock, no password is checked for that key until the cool-off has passed.

``LockoutBackend`` comes first in ``AUTHENTICATION_BACKENDS``, so every call of
``django.contrib.auth.authenticate`` (Wagtail's login form, the promoter portal, any
API login) is refused while locked: it raises ``LoginLockedOut``, a ``ValidationError``
that login forms and DRF serializers show as the form's error. Failures are counted by
the ``user_login_failed`` signal that ``authenticate`` sends when no backend accepts.
"""

import hashlib
import hmac
import math
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from people.normalise import phone_key

from .models import LoginThrottle
from .network import client_address

IDENTIFIER_FIELDS = ("username", "phone", "email")
PHONE_SHAPE = re.compile(r"\+?[\d\s().\-]{6,}")


class LoginLockedOut(ValidationError):
    def __init__(self, remaining: timedelta):
        minutes = max(1, math.ceil(remaining.total_seconds() / 60))
        self.minutes = minutes
        super().__init__(
            ngettext(
                "Too many failed sign-in attempts; try again in %(minutes)d minute.",
                "Too many failed sign-in attempts; try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            code="locked_out",
        )


def login_identifier(credentials: dict) -> str:
    """What the person typed to say who they are, whatever the login form calls it.

    A phone number (promoters sign in with theirs) counts as one identifier however
    it is written, so reformatting it does not start a fresh count.
    """
    for field in IDENTIFIER_FIELDS:
        value = str(credentials.get(field) or "").strip()
        if PHONE_SHAPE.fullmatch(value):
            return "phone:" + phone_key(value)
        if value:
            return value.casefold()
    return ""


def _keys(identifier: str, address: str) -> list[tuple[str, int]]:
    def digest(*parts: str) -> str:
        message = "\0".join(parts).encode()
        return hmac.new(
            settings.SECRET_KEY.encode(), message, hashlib.sha256
        ).hexdigest()

    return [
        (digest("pair", identifier, address), settings.SUKSA_LOGIN_ATTEMPTS),
        (digest("user", identifier), settings.SUKSA_LOGIN_USERNAME_ATTEMPTS),
    ]


def lockout_remaining(*, identifier: str, address: str) -> timedelta | None:
    """How long the identifier stays locked from this address; None when it is not."""
    now = timezone.now()
    keys = [key for key, _limit in _keys(identifier, address)]
    until = (
        LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return until - now if until else None


@transaction.atomic
def lockout_failure(*, identifier: str, address: str) -> bool:
    """Count one failed sign-in; True when it locked the identifier."""
    now = timezone.now()
    window = timedelta(seconds=settings.SUKSA_LOGIN_WINDOW_SECONDS)
    locked = False
    for key, limit in _keys(identifier, address):
        throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"window_started_at": now}
        )
        expired_lock = throttle.locked_until and throttle.locked_until <= now
        if expired_lock or throttle.window_started_at + window <= now:
            throttle.failures = 0
            throttle.window_started_at = now
            throttle.locked_until = None
        throttle.failures += 1
        if throttle.failures >= limit:
            cooloff = timedelta(seconds=settings.SUKSA_LOGIN_COOLOFF_SECONDS)
            throttle.locked_until = now + cooloff
            throttle.failures = 0
            throttle.window_started_at = now
            locked = True
        throttle.save()
    return locked


def lockout_clear(*, identifier: str, address: str) -> None:
    """A successful sign-in forgets the failures of that identifier."""
    keys = [key for key, _limit in _keys(identifier, address)]
    LoginThrottle.objects.filter(key__in=keys).delete()


class LockoutBackend:
    """Authenticates no one; refuses every attempt while the identifier is locked."""

    def authenticate(self, request, **credentials):
        identifier = login_identifier(credentials)
        if request is None or not identifier:
            return None
        address = client_address(request)
        request.suksa_login_identifier = identifier
        remaining = lockout_remaining(identifier=identifier, address=address)
        if remaining is not None:
            from audit.services import audit_login

            audit_login(action="login.locked", request=request, identifier=identifier)
            raise LoginLockedOut(remaining)
        return None

    # No get_user(): a session is never this backend's, and force_login and
    # login() pick the first backend that has one.


def on_login_failed(sender, credentials, request=None, **kwargs):
    identifier = login_identifier(credentials)
    if request is None or not identifier:
        return
    locked = lockout_failure(identifier=identifier, address=client_address(request))
    from audit.services import audit_login

    audit_login(action="login.failure", request=request, identifier=identifier)
    if locked:
        audit_login(action="login.lockout", request=request, identifier=identifier)


def on_logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    identifier = getattr(request, "suksa_login_identifier", "") or (
        user.get_username().casefold()
    )
    lockout_clear(identifier=identifier, address=client_address(request))
