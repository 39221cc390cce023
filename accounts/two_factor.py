"""Two-factor sign-in: enrolment, verification, recovery codes.

Required for the roles in ``SUKSA_2FA_REQUIRED_ROLES`` (administrators and managers
in production), available to every user. A session is verified when, after the
password, a code from the authenticator app or an unused recovery code was accepted.

Codes are throttled like passwords (``accounts.lockout.throttle_attempt``): each try,
app code or recovery code, is counted per user and per session before it is checked;
after ``SUKSA_2FA_ATTEMPTS`` wrong ones no code is accepted, not even the right one,
until the cool-off has passed. Setting up an app asks for the password again and
tells the user by e-mail.
"""

import hashlib
import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import totp
from .backends import ascii_digits
from .lockout import throttle_attempt, throttle_clear, throttle_key
from .models import RecoveryCode, TwoFactorDevice

SESSION_KEY = "suksa_two_factor_verified"
RECOVERY_CODE_COUNT = 10


def two_factor_required(user) -> bool:
    from access.policy import uses_two_factor

    return uses_two_factor(user, settings.SUKSA_2FA_REQUIRED_ROLES)


def two_factor_device(user) -> TwoFactorDevice | None:
    """The user's confirmed device, if any."""
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def session_verified(request) -> bool:
    return request.session.get(SESSION_KEY) == request.user.pk


def session_mark_verified(request) -> None:
    request.session[SESSION_KEY] = request.user.pk
    request.session.cycle_key()


def two_factor_pending(request) -> str | None:
    """What a signed-in user must still do: "verify", "enrol" or None."""
    user = request.user
    if not user.is_authenticated or session_verified(request):
        return None
    if two_factor_device(user) is not None:
        return "verify"
    if two_factor_required(user):
        return "enrol"
    return None


class TwoFactorLockedOut(ValidationError):
    """No code is checked until the cool-off has passed."""

    def __init__(self, remaining: timedelta, *, just_locked: bool = False):
        minutes = max(1, math.ceil(remaining.total_seconds() / 60))
        self.just_locked = just_locked
        super().__init__(
            ngettext(
                "Too many wrong codes; try again in %(minutes)d minute.",
                "Too many wrong codes; try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            code="locked_out",
        )


def _attempt_keys(user, session_key: str) -> list[tuple[str, int]]:
    limit = settings.SUKSA_2FA_ATTEMPTS
    keys = [(throttle_key("2fa-user", str(user.pk)), limit)]
    if session_key:
        keys.append((throttle_key("2fa-session", session_key), limit))
    return keys


@transaction.atomic
def two_factor_enrol_start(*, user, password: str, request=None) -> TwoFactorDevice:
    """A new, unconfirmed secret, after the password again (a session left open on a
    shared computer must not be enough to add someone else's phone). The password is
    checked through ``authenticate``, so the sign-in lockout counts wrong ones."""
    if two_factor_device(user) is not None:
        raise ValidationError(
            _("Two-step sign-in is already on. Turn it off first to change the app.")
        )
    checked = authenticate(request, username=user.get_username(), password=password)
    if checked is None or checked.pk != user.pk:
        raise ValidationError(_("That password is not right. Type your password."))
    device, _created = TwoFactorDevice.objects.update_or_create(
        user=user, defaults={"secret": totp.secret_new(), "last_used_step": 0}
    )
    return device


def _accept(device: TwoFactorDevice, code: str) -> None:
    step = totp.totp_match(device.secret, code)
    if step is None:
        raise ValidationError(
            _("That code is not right. Type the 6 digits your app shows now.")
        )
    if step <= device.last_used_step:
        raise ValidationError(
            _("That code was already used. Wait for the next one and type it.")
        )
    device.last_used_step = step


def _recovery_hash(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normalised.encode()).hexdigest()


@transaction.atomic
def two_factor_enrol_confirm(*, user, code: str) -> list[str]:
    """Confirm the app with its first code; returns new recovery codes to show once."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is not None:
        raise ValidationError(_("Start again: open the two-step sign-in page."))
    _accept(device, code)
    device.confirmed_at = timezone.now()
    device.save()
    transaction.on_commit(lambda: _notify_enrolled(user))
    return recovery_codes_new(user=user)


def _notify_enrolled(user) -> None:
    """Tell the account's owner, in case it was not them who added the phone."""
    if not user.email:
        return
    send_mail(
        _("Suksa: two-step sign-in was set up"),
        _(
            "An authenticator app was set up for two-step sign-in to your Suksa "
            "account. If this was not you, tell an administrator at once: someone "
            "knows your password."
        ),
        None,
        [user.email],
    )


@transaction.atomic
def recovery_codes_new(*, user) -> list[str]:
    """Replace the user's recovery codes; only the hashes are kept."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "-".join(secrets.token_hex(5)[i : i + 5] for i in (0, 5))
        for _n in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes
    )
    return codes


def two_factor_verify(*, user, code: str, session_key: str = "") -> str:
    """Check a code at sign-in; returns "totp" or "recovery" for the audit trail.

    The try is counted (and committed) before the code is checked; a right code
    forgets the count. Raises ``TwoFactorLockedOut`` while locked, and when this
    wrong code used up the budget (``just_locked``)."""
    keys = _attempt_keys(user, session_key)
    remaining, locked = throttle_attempt(
        keys,
        window_seconds=settings.SUKSA_2FA_WINDOW_SECONDS,
        cooloff_seconds=settings.SUKSA_2FA_COOLOFF_SECONDS,
    )
    if remaining is not None:
        raise TwoFactorLockedOut(remaining)
    try:
        method = _verify(user=user, code=code)
    except ValidationError:
        if locked:
            cooloff = timedelta(seconds=settings.SUKSA_2FA_COOLOFF_SECONDS)
            raise TwoFactorLockedOut(cooloff, just_locked=True) from None
        raise
    throttle_clear(keys)
    return method


@transaction.atomic
def _verify(*, user, code: str) -> str:
    device = (
        TwoFactorDevice.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if device is None:
        raise ValidationError(_("Two-step sign-in is not set up for this account."))
    digits = ascii_digits("".join(code.split()))
    if len(digits) == totp.DIGITS and digits.isdigit():
        _accept(device, digits)
        device.save(update_fields=["last_used_step"])
        return "totp"
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, code_hash=_recovery_hash(code), used_at__isnull=True)
        .first()
    )
    if recovery is None:
        raise ValidationError(
            _("That code is not right. Type the 6 digits your app shows now.")
        )
    recovery.used_at = timezone.now()
    recovery.save(update_fields=["used_at"])
    return "recovery"


@transaction.atomic
def two_factor_disable(*, user) -> None:
    if two_factor_required(user):
        raise ValidationError(
            _("Your role requires two-step sign-in; it cannot be turned off.")
        )
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
