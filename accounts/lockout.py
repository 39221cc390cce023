"""Lockout after repeated failed sign-ins, for every way of signing in.

Failures are counted per username *and* client address together, because many rural
users reach Suksa through one carrier address and one person's typos must not lock out
a province; a higher cap per username alone stops a guesser who changes addresses.
After a lock, no password is checked for that key until the cool-off has passed.

``LockoutBackend`` comes first in ``AUTHENTICATION_BACKENDS``, so every call of
``django.contrib.auth.authenticate`` (Wagtail's login form, the promoter portal, any
API login) is refused while locked: it raises ``LoginLockedOut``, a ``ValidationError``
that login forms and DRF serializers show as the form's error.

One identity per account: whatever the person typed (the username in any case, the
phone number in any format or in Lao digits) counts against the account it names, so
the username and the phone number of one user share one budget. Each attempt is
counted *before* its password is checked, under a row lock (``SELECT … FOR UPDATE`` on
PostgreSQL), so parallel attempts cannot all pass the check before any is counted; a
successful sign-in forgets the count. ``user_login_failed`` only audits.
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

from common.network import client_address
from common.phones import phone_key

from .models import LoginThrottle

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
    """Who the person says they are, whatever the login form calls it and however
    they wrote it: ``user:<id>`` when it names an account (by username or phone),
    otherwise the typed text, a phone number reduced to one key."""
    from .backends import account_for_login, ascii_digits

    for field in IDENTIFIER_FIELDS:
        value = ascii_digits(str(credentials.get(field) or "")).strip()
        if not value:
            continue
        user = account_for_login(value)
        if user is not None:
            return f"user:{user.pk}"
        if PHONE_SHAPE.fullmatch(value):
            return "phone:" + phone_key(value)
        return value.casefold()
    return ""


def throttle_key(*parts: str) -> str:
    """A keyed hash of what is counted: the table never holds what was typed."""
    message = "\0".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _keys(identifier: str, address: str) -> list[tuple[str, int]]:
    return [
        (throttle_key("pair", identifier, address), settings.SUKSA_LOGIN_ATTEMPTS),
        (throttle_key("user", identifier), settings.SUKSA_LOGIN_USERNAME_ATTEMPTS),
    ]


@transaction.atomic
def throttle_attempt(
    keys: list[tuple[str, int]], *, window_seconds: int, cooloff_seconds: int
) -> tuple[timedelta | None, bool]:
    """Count one attempt on every (key, limit) before the secret is checked.

    Returns how long a key stays locked (the attempt is refused and not counted) or
    None, and whether this attempt used up a budget (it is still checked; the next
    one is refused). Rows are locked in one order, so parallel attempts wait for each
    other instead of reading the same count.
    """
    now = timezone.now()
    window = timedelta(seconds=window_seconds)
    throttles = []
    for key, limit in keys:
        throttle = _throttle_locked(key, now)
        if throttle.locked_until and throttle.locked_until > now:
            return throttle.locked_until - now, False
        throttles.append((throttle, limit))
    locked = False
    for throttle, limit in throttles:
        if throttle.locked_until or throttle.window_started_at + window <= now:
            throttle.failures = 0
            throttle.window_started_at = now
            throttle.locked_until = None
        throttle.failures += 1
        if throttle.failures >= limit:
            throttle.locked_until = now + timedelta(seconds=cooloff_seconds)
            throttle.failures = 0
            throttle.window_started_at = now
            locked = True
        throttle.save()
    return None, locked


def _throttle_locked(key: str, now) -> LoginThrottle:
    """The key's row, made if missing, locked until the transaction ends.

    ``get_or_create`` is not enough under load: when two attempts make the same new
    row, the loser's insert waits for the winner and fails, and if a successful
    sign-in clears the row in between, its second look finds nothing and the error
    reached the user as a server error (seen in ``benchmarks/load.py``). Here the
    row is inserted unless present (``ON CONFLICT DO NOTHING``: it waits for a
    concurrent insert instead of failing) and then locked; a row cleared in between
    is made again."""
    for _attempt in range(5):
        LoginThrottle.objects.bulk_create(
            [LoginThrottle(key=key, window_started_at=now)], ignore_conflicts=True
        )
        throttle = LoginThrottle.objects.select_for_update().filter(key=key).first()
        if throttle is not None:
            return throttle
    raise RuntimeError("a sign-in throttle row kept disappearing")  # pragma: no cover


@transaction.atomic
def throttle_clear(keys: list[tuple[str, int]]) -> None:
    # Key by key, in the order attempts lock them: one statement for all would lock
    # the rows in the table's order, and an attempt holding the first key while
    # waiting for the second would deadlock with it.
    for key, _limit in keys:
        LoginThrottle.objects.filter(key=key).delete()


def lockout_attempt(*, identifier: str, address: str) -> tuple[timedelta | None, bool]:
    """Count one sign-in attempt before its password is checked (throttle_attempt)."""
    return throttle_attempt(
        _keys(identifier, address),
        window_seconds=settings.SUKSA_LOGIN_WINDOW_SECONDS,
        cooloff_seconds=settings.SUKSA_LOGIN_COOLOFF_SECONDS,
    )


def lockout_clear(*, identifier: str, address: str) -> None:
    """A successful sign-in forgets the failures of that identifier."""
    throttle_clear(_keys(identifier, address))


class LockoutBackend:
    """Authenticates no one; counts the attempt, and refuses it while locked."""

    def authenticate(self, request, **credentials):
        identifier = login_identifier(credentials)
        if request is None or not identifier:
            return None
        request.suksa_login_identifier = identifier
        remaining, locked = lockout_attempt(
            identifier=identifier, address=client_address(request)
        )
        request.suksa_login_locked = locked
        if remaining is not None:
            _audit(request, "login.locked", identifier)
            raise LoginLockedOut(remaining)
        return None

    # No get_user(): a session is never this backend's, and force_login and
    # login() pick the first backend that has one.


def _audit(request, action: str, identifier: str) -> None:
    from audit.services import audit_login

    user = None
    if identifier.startswith("user:"):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=identifier[5:]).first()
    audit_login(action=action, request=request, identifier=identifier, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    identifier = getattr(request, "suksa_login_identifier", "")
    if request is None or not identifier:
        return
    _audit(request, "login.failure", identifier)
    if getattr(request, "suksa_login_locked", False):
        _audit(request, "login.lockout", identifier)


def on_logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    identifier = getattr(request, "suksa_login_identifier", "") or f"user:{user.pk}"
    lockout_clear(identifier=identifier, address=client_address(request))
