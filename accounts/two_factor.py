"""Two-factor sign-in: enrolment, verification, recovery codes.

Required for the roles in ``SUKSA_2FA_REQUIRED_ROLES`` (administrators and managers
in production), available to every user. A session is verified when, after the
password, a code from the authenticator app or an unused recovery code was accepted.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import totp
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


@transaction.atomic
def two_factor_enrol_start(*, user) -> TwoFactorDevice:
    """A new, unconfirmed secret; an existing confirmed device stays until replaced."""
    if two_factor_device(user) is not None:
        raise ValidationError(
            _("Two-step sign-in is already on. Turn it off first to change the app.")
        )
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
    return recovery_codes_new(user=user)


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


@transaction.atomic
def two_factor_verify(*, user, code: str) -> str:
    """Check a code at sign-in; returns "totp" or "recovery" for the audit trail."""
    device = (
        TwoFactorDevice.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if device is None:
        raise ValidationError(_("Two-step sign-in is not set up for this account."))
    digits = "".join(code.split())
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
