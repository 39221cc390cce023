"""Numbers (and dates) as people type and read them.

Lao digits (໐–໙) are the digits 0–9.

A phone keyboard set to Lao types ``໐໒໐ ໕໕໕໑ ໒໓໔໕``; the same phone typed with
ASCII digits must be the same person and sign in the same way, and a count typed in
Lao digits must be stored as a number. Every door where numbers are typed (forms,
API serializers, sheet imports, phone keys) reads them through ``ascii_digits``.
"""

from decimal import Decimal

from django.utils import formats

LAO_DIGITS = "໐໑໒໓໔໕໖໗໘໙"
_TO_ASCII = str.maketrans(LAO_DIGITS, "0123456789")


def ascii_digits(value):
    """``value`` with Lao digits written as ASCII ones; anything not text as is."""
    if isinstance(value, str):
        return value.translate(_TO_ASCII)
    return value


def plain_number(value) -> str:
    """A Decimal or float without trailing zeros: 72.5, 80 (never 72.50 or 80.0)."""
    text = f"{Decimal(str(value)):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def number(value) -> str:
    """A number as every screen, PDF and export writes it, whatever the language:
    a count grouped by thousands (1,240), a decimal without trailing zeros (72.5,
    80), and nothing for nothing. One format for Lao and English
    (``config/formats``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal | float):
        value = Decimal(plain_number(value))
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def short_date(value) -> str:
    """A date as every page writes it in the active language: 17/02/2024
    (``config/formats``)."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")
