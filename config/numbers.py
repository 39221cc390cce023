"""Numbers as people type them: Lao digits (໐–໙) are the digits 0–9.

A phone keyboard set to Lao types ``໐໒໐ ໕໕໕໑ ໒໓໔໕``; the same phone typed with
ASCII digits must be the same person and sign in the same way, and a count typed in
Lao digits must be stored as a number. Every door where numbers are typed (forms,
API serializers, sheet imports, phone keys) reads them through ``ascii_digits``.
"""

LAO_DIGITS = "໐໑໒໓໔໕໖໗໘໙"
_TO_ASCII = str.maketrans(LAO_DIGITS, "0123456789")


def ascii_digits(value):
    """``value`` with Lao digits written as ASCII ones; anything not text as is."""
    if isinstance(value, str):
        return value.translate(_TO_ASCII)
    return value
