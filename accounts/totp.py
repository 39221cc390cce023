"""Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226), standard library only.

Authenticator apps (Google Authenticator, Aegis, FreeOTP …) read the ``otpauth://`` URI
from a QR code and show a 6-digit code that changes every 30 seconds.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

import segno

DIGITS = 6
STEP_SECONDS = 30
# One step either side: a phone clock a little off, or a code typed as it changes.
DRIFT_STEPS = 1
ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def secret_new() -> str:
    """160 random bits (RFC 4226's recommended length) in base32, as apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm="SHA1") -> str:
    """RFC 4226 §5.3: HMAC of the counter, dynamically truncated to ``digits``."""
    mac = hmac.new(key, struct.pack(">Q", counter), ALGORITHMS[algorithm]).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp(secret: str, *, at: float | None = None) -> str:
    return hotp(_key(secret), time_step(at))


def totp_match(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step whose code is ``code`` (within the allowed drift), or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    now = time_step(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS})
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (no external image, no inline style)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2)
