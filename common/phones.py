"""Phone numbers: one key for the many ways a number is written, and the masked
number shown to those who may not call it. No model: accounts, people and the
access policy all use them."""

import re

from common.numbers import ascii_digits

LAO_COUNTRY_CODE = "856"


def phone_key(phone: str) -> str:
    """The national number without country code, trunk zero or punctuation.

    ``+856 20 5551 2345``, ``00856-20-55512345`` and ``020 55 51 23 45`` all give
    ``2055512345``; so do the same numbers typed in Lao digits (``໐໒໐ …``).
    """
    digits = re.sub(r"[^0-9]", "", ascii_digits(phone))
    if digits.startswith("00" + LAO_COUNTRY_CODE):
        digits = digits[2 + len(LAO_COUNTRY_CODE) :]
    elif digits.startswith(LAO_COUNTRY_CODE) and len(digits) > 9:
        digits = digits[len(LAO_COUNTRY_CODE) :]
    return digits.lstrip("0")


MASK = "•••"


def phone_masked(phone: str) -> str:
    """ "020 5551 2345" → "020 ••• ••45": enough to tell two numbers apart, not to
    call someone."""
    digits = "".join(character for character in phone if character.isdigit())
    if len(digits) < 6:
        return MASK if phone else ""
    return f"{digits[:3]} {MASK} ••{digits[-2:]}"


def is_masked(phone: str) -> bool:
    """A masked number sent back (a template filled in by someone who saw masks)."""
    return MASK in phone or "••" in phone
